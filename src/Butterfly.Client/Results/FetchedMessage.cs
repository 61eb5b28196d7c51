namespace Butterfly.Client;

/// <summary>A message fetched with <c>message.fetch</c>: its metadata and its exact bytes.</summary>
/// <param name="Folder">The folder.</param>
/// <param name="Id">Its id in the folder.</param>
/// <param name="Size">Its size in bytes.</param>
/// <param name="Flags">Its flags.</param>
/// <param name="Received">When the server stored it.</param>
/// <param name="Content">The raw RFC 5322 bytes, exactly as stored.</param>
public sealed record FetchedMessage(string Folder, long Id, long Size, IReadOnlyList<string> Flags, DateTimeOffset Received, byte[] Content);
