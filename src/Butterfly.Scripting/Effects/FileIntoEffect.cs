namespace Butterfly.Scripting;

/// <summary>A copy of the incoming message into a folder of the script's owner (<c>ctx.fileInto</c>).</summary>
/// <param name="Folder">The folder name as the script gave it.</param>
public sealed record FileIntoEffect(string Folder) : ScriptEffect;
