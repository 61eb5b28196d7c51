namespace Butterfly.Protocol.Contracts;

/// <summary>One attachment (or inline part) of a message, as <c>message.view</c> lists it.</summary>
/// <param name="Part">The part's id for <c>message.part</c>: its MIME path, such as <c>2</c> or <c>1.2</c>.</param>
/// <param name="Name">Its file name, or a name made from its type when it has none.</param>
/// <param name="Type">Its media type, such as <c>application/pdf</c>.</param>
/// <param name="Size">Its decoded size in bytes.</param>
public sealed record AttachmentDto(string Part, string Name, string Type, long Size);
