namespace Butterfly.Server.Web;

/// <summary>One embedded file of the web client, ready to serve.</summary>
/// <param name="Bytes">Its bytes.</param>
/// <param name="Gzipped">The same bytes gzipped, or null when that is not smaller.</param>
/// <param name="ContentType">Its Content-Type.</param>
/// <param name="ETag">Its strong ETag, quoted.</param>
internal sealed record StaticFile(byte[] Bytes, byte[]? Gzipped, string ContentType, string ETag);
