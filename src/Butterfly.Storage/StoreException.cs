namespace Butterfly.Storage;

/// <summary>A store operation that cannot go on: a missing delivery target, a schema from a newer version.</summary>
public sealed class StoreException : Exception
{
    /// <summary>Creates an exception with no details.</summary>
    public StoreException()
    {
    }

    /// <summary>Creates an exception with a message.</summary>
    public StoreException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message and a cause.</summary>
    public StoreException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates an exception for a store error.</summary>
    public StoreException(StoreError error, string message)
        : base(message)
    {
        Error = error;
    }

    /// <summary>Creates an exception for a store error, with its cause.</summary>
    public StoreException(StoreError error, string message, Exception innerException)
        : base(message, innerException)
    {
        Error = error;
    }

    /// <summary>The store error behind the exception, or <see cref="StoreError.None"/>.</summary>
    public StoreError Error { get; }
}
