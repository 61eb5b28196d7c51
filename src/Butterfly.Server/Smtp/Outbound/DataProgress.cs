using MailKit;

namespace Butterfly.Server.Smtp.Outbound;

/// <summary>
/// Notes when the whole message has been written after DATA: a connection lost from then until the server's reply
/// leaves it unknown whether the message was taken (RFC 5321 §4.5.4.1 and §6.1: the sender must assume it was not,
/// so it is sent again and may arrive twice).
/// </summary>
internal sealed class DataProgress : ITransferProgress
{
    /// <summary>True once every byte of the message was handed to the connection.</summary>
    public bool AllWritten { get; private set; }

    /// <inheritdoc/>
    public void Report(long bytesTransferred, long totalSize)
    {
        if (bytesTransferred >= totalSize)
        {
            AllWritten = true;
        }
    }

    /// <inheritdoc/>
    public void Report(long bytesTransferred)
    {
        // Only called when the size is not known, which the client always computes for the progress.
    }
}
