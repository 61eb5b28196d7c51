
namespace Butterfly.Protocol.Contracts;

/// <summary>The sender's copy of a sent message.</summary>
/// <param name="Folder">Its folder.</param>
/// <param name="Id">Its id there.</param>
public sealed record SentCopyDto(string Folder, long Id);
