namespace Butterfly.Cli.Rendering;

/// <summary>A message decoded for display.</summary>
/// <param name="Fields">The shown header fields, decoded, in display order.</param>
/// <param name="Text">The readable text.</param>
/// <param name="Attachments">The attachments.</param>
internal sealed record RenderedMessage(
    IReadOnlyList<(string Name, string Value)> Fields,
    string Text,
    IReadOnlyList<RenderedAttachment> Attachments);
