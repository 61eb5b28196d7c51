namespace Butterfly.Cli.Migration;

/// <summary>One message to import.</summary>
/// <param name="Folder">The folder it goes to.</param>
/// <param name="Data">Its bytes; null when the source found it larger than the server takes.</param>
/// <param name="Size">Its size in bytes.</param>
/// <param name="Flags">The flags to set.</param>
/// <param name="Received">Its internal date, when the source has one.</param>
/// <param name="Where">Where it is in the source, for messages: <c>byte 123</c>, a file name.</param>
/// <param name="Units">How much of the source's total it stands for (bytes of an mbox, 1 for a file).</param>
/// <param name="ResumeAt">For one mbox file, the byte offset just past it (the checkpoint once it is done).</param>
internal sealed record ImportItem(
    string Folder, byte[]? Data, long Size, IReadOnlyList<string> Flags, DateTimeOffset? Received, string Where, long Units, long? ResumeAt);
