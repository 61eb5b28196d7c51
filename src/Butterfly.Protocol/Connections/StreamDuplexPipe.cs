using System.IO.Pipelines;

namespace Butterfly.Protocol.Connections;

/// <summary>A <see cref="Stream"/> (a socket's NetworkStream, a TLS stream) as an <see cref="IDuplexPipe"/>, leaving the stream open.</summary>
public sealed class StreamDuplexPipe : IDuplexPipe
{
    /// <summary>Wraps <paramref name="stream"/> with the given buffer sizes.</summary>
    /// <param name="stream">The stream; its owner disposes it.</param>
    /// <param name="readBufferSize">The reader's buffer size.</param>
    /// <param name="minimumReadSize">The least free space the reader asks the stream to fill.</param>
    /// <param name="writeBufferSize">The writer's smallest buffer.</param>
    public StreamDuplexPipe(Stream stream, int readBufferSize = 64 * 1024, int minimumReadSize = 16 * 1024, int writeBufferSize = 16 * 1024)
    {
        Input = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: readBufferSize, minimumReadSize: minimumReadSize, leaveOpen: true));
        Output = PipeWriter.Create(stream, new StreamPipeWriterOptions(minimumBufferSize: writeBufferSize, leaveOpen: true));
    }

    /// <inheritdoc/>
    public PipeReader Input { get; }

    /// <inheritdoc/>
    public PipeWriter Output { get; }
}
