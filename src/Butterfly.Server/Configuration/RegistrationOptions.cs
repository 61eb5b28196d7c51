namespace Butterfly.Server.Configuration;

/// <summary>The registration section of <c>butterfly.json</c>.</summary>
public sealed class RegistrationOptions
{
    /// <summary>Whether anyone may create an account with the <c>register</c> command. Off by default.</summary>
    public bool Open { get; set; }
}
