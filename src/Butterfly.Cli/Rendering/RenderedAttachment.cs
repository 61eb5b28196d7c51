namespace Butterfly.Cli.Rendering;

/// <summary>One attachment of a decoded message.</summary>
/// <param name="FileName">Its file name, when it has one.</param>
/// <param name="MediaType">Its media type.</param>
/// <param name="Size">Its decoded size in bytes.</param>
internal sealed record RenderedAttachment(string? FileName, string MediaType, long Size);
