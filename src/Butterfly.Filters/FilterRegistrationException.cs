namespace Butterfly.Filters;

/// <summary>The server refused the registration (not configured, a refused claim, a stage not configured).</summary>
public sealed class FilterRegistrationException : FilterException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="code">The error code, e.g. <c>filter.not-configured</c>.</param>
    /// <param name="message">The server's message.</param>
    public FilterRegistrationException(string code, string message)
        : base(code, message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public FilterRegistrationException()
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What went wrong.</param>
    public FilterRegistrationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public FilterRegistrationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
