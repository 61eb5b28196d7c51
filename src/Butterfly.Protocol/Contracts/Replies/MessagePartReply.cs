namespace Butterfly.Protocol.Contracts;

/// <summary>The reply to <c>message.part</c>; the part's decoded bytes are the binary body.</summary>
/// <param name="Folder">The folder.</param>
/// <param name="Id">The message's id.</param>
/// <param name="Part">The part's id.</param>
/// <param name="Name">Its file name.</param>
/// <param name="Type">Its media type.</param>
/// <param name="Size">Its decoded size in bytes (the body's length).</param>
public sealed record MessagePartReply(string Folder, long Id, string Part, string Name, string Type, long Size) : OkReply;
