namespace Butterfly.Server.Configuration;

/// <summary>The configuration cannot be used; the message says why in words an operator understands.</summary>
public sealed class ConfigurationException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ConfigurationException()
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong.</param>
    public ConfigurationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong.</param>
    /// <param name="inner">The cause.</param>
    public ConfigurationException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
