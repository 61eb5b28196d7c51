namespace Butterfly.Server.Mail;

/// <summary>A file attached to a composed message.</summary>
/// <param name="Name">The file name shown to the recipient.</param>
/// <param name="Type">Its media type, e.g. <c>application/pdf</c>.</param>
/// <param name="Bytes">Its content.</param>
internal sealed record ComposeAttachment(string Name, string Type, ReadOnlyMemory<byte> Bytes);
