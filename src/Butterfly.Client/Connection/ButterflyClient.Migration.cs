using System.Globalization;
using System.Text.Json;
using Butterfly.Client.Internal;
using Butterfly.Protocol.Contracts;

namespace Butterfly.Client;

/// <summary>Typed helpers for moving mail in (<c>message.import</c>) and emptying a folder (<c>folder.empty</c>).</summary>
public sealed partial class ButterflyClient
{
    /// <summary>
    /// Imports a message into a folder unless the folder holds the same bytes already. Several imports
    /// may be in flight on one connection; the server commits them together.
    /// </summary>
    /// <param name="folder">The folder (it must exist).</param>
    /// <param name="message">The RFC 5322 bytes, stored exactly.</param>
    /// <param name="flags">Flags to set (<c>seen</c>, <c>answered</c>, <c>flagged</c>, <c>draft</c>).</param>
    /// <param name="received">The internal date to keep, or null for now.</param>
    /// <param name="ct">Cancels the wait.</param>
    /// <exception cref="ButterflyException">For example <c>quota.exceeded</c> or <c>message.too-large</c>.</exception>
    public async Task<ImportResult> ImportAsync(string folder, ReadOnlyMemory<byte> message, IEnumerable<string>? flags = null, DateTimeOffset? received = null, CancellationToken ct = default)
    {
        var head = HeadWriter.Build(Commands.MessageImport, (folder, flags, received), static (w, s) =>
        {
            w.WriteString("folder"u8, s.folder);
            if (s.flags is not null)
            {
                HeadWriter.WriteStrings(w, "flags", s.flags);
            }

            if (s.received is { } date)
            {
                w.WriteString("received"u8, date.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture));
            }
        });
        var reply = await CommandAsync(head, message, ct);
        var root = reply.Head;
        return new ImportResult(
            ReplyReader.String(root, "folder") ?? folder,
            ReplyReader.Int64(root, "id"),
            root.TryGetProperty("duplicate", out var duplicate) && duplicate.ValueKind == JsonValueKind.True);
    }

    /// <summary>Removes every message of a folder for good, in one step; returns how many.</summary>
    /// <param name="folder">The folder (Trash, or any other).</param>
    /// <param name="ct">Cancels the wait.</param>
    /// <exception cref="ButterflyException">For example <c>folder.not-found</c>.</exception>
    public async Task<long> EmptyFolderAsync(string folder, CancellationToken ct = default)
    {
        var reply = await CommandAsync(HeadWriter.Build(Commands.FolderEmpty, folder, static (w, f) => w.WriteString("folder"u8, f)), default, ct);
        return ReplyReader.Int64(reply.Head, "expunged");
    }
}
