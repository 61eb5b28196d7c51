namespace Butterfly.Client;

/// <summary>What happened to one recipient of a sent message.</summary>
/// <param name="Address">The recipient address.</param>
/// <param name="Status">The outcome, e.g. <c>delivered</c>.</param>
public sealed record RecipientStatus(string Address, string Status)
{
    /// <summary>For a <c>queued</c> remote recipient, how the mail leaves: <c>butterfly</c> or <c>smtp</c>; null when the server did not say.</summary>
    public string? Via { get; init; }

    /// <summary>The domain of <see cref="Address"/>.</summary>
    public string Domain => Address[(Address.LastIndexOf('@') + 1)..];
}
