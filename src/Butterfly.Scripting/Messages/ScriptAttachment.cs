namespace Butterfly.Scripting;

/// <summary>An attachment as a script sees it: <c>{ name, type, size }</c>.</summary>
/// <param name="Name">The file name, or null when the part has none.</param>
/// <param name="Type">The MIME type, lower case (<c>application/pdf</c>).</param>
/// <param name="Size">The decoded size in bytes.</param>
public sealed record ScriptAttachment(string? Name, string Type, long Size);
