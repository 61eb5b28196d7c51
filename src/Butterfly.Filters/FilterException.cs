namespace Butterfly.Filters;

/// <summary>The server answered a filter's request with an error, or the connection failed.</summary>
public class FilterException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="code">The error code (protocol/errors.md).</param>
    /// <param name="message">The server's message.</param>
    public FilterException(string code, string message)
        : base(message)
    {
        Code = code;
    }

    /// <summary>Creates the exception.</summary>
    public FilterException()
        : this("filter.error", "The filter request failed.")
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What went wrong.</param>
    public FilterException(string message)
        : this("filter.error", message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public FilterException(string message, Exception innerException)
        : base(message, innerException)
    {
        Code = "connection.lost";
    }

    /// <summary>The error code, e.g. <c>filter.not-configured</c>.</summary>
    public string Code { get; } = "filter.error";
}
