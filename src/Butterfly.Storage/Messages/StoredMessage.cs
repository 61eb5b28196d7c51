namespace Butterfly.Storage;

/// <summary>A message with its raw bytes.</summary>
/// <param name="Item">The message.</param>
/// <param name="Content">The raw RFC 5322 bytes.</param>
public sealed record StoredMessage(MessageItem Item, byte[] Content);
