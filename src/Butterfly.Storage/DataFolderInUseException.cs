namespace Butterfly.Storage;

/// <summary>Another process holds the data folder (see <see cref="DataFolderLock"/>).</summary>
public sealed class DataFolderInUseException : IOException
{
    /// <summary>Creates an exception with no details.</summary>
    public DataFolderInUseException()
    {
    }

    /// <summary>Creates an exception for <paramref name="folder"/>, with the standard message.</summary>
    /// <param name="folder">The data folder.</param>
    public DataFolderInUseException(string folder)
        : base($"The data folder {folder} is in use by another process, which holds {DataFolderLock.PathIn(folder)}: one daemon serves a data folder.")
    {
        Folder = folder;
    }

    /// <summary>Creates an exception with a message and a cause.</summary>
    public DataFolderInUseException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The data folder, when known.</summary>
    public string? Folder { get; }
}
