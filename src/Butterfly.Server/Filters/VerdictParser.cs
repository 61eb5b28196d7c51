using System.Text.Json;
using System.Text.RegularExpressions;
using Butterfly.Server.Mail;
using Butterfly.Server.Wire;
using Butterfly.Storage;

namespace Butterfly.Server.Filters;

/// <summary>
/// Reads and checks a verdict reply (protocol/filter.md, "Verdicts"). Anything malformed, out of
/// range, or using an action the filter did not declare is a problem, which the chain treats as a
/// filter failure.
/// </summary>
internal static partial class VerdictParser
{
    private const int MaxReasonLength = 500;

    /// <summary>Reads the verdict in <paramref name="root"/> with slices of <paramref name="body"/>.</summary>
    /// <param name="root">The reply head (<c>"ok": true</c>).</param>
    /// <param name="body">The reply's binary body.</param>
    /// <param name="actions">The actions the filter declared at registration.</param>
    /// <param name="filter">The filter's name, for injected messages.</param>
    /// <param name="verdict">The verdict.</param>
    /// <param name="problem">What is wrong, when it returns false.</param>
    public static bool TryParse(JsonElement root, ReadOnlyMemory<byte> body, IReadOnlySet<string> actions, string filter, out FilterVerdict? verdict, out string problem)
    {
        verdict = null;
        try
        {
            verdict = Parse(root, body, actions, filter);
            problem = string.Empty;
            return true;
        }
        catch (VerdictException ex)
        {
            problem = ex.Message;
            return false;
        }
        catch (InvalidOperationException ex)
        {
            // A JSON value of the wrong kind.
            problem = "a field has the wrong type: " + ex.Message;
            return false;
        }
    }

    private static FilterVerdict Parse(JsonElement root, ReadOnlyMemory<byte> body, IReadOnlySet<string> actions, string filter)
    {
        var kind = OptionalString(root, "verdict") ?? throw new VerdictException("\"verdict\" is missing");
        if (kind is not ("accept" or "reject" or "tempfail" or "discard" or "quarantine"))
        {
            throw new VerdictException($"unknown verdict '{kind}'");
        }

        Require(actions, kind);
        string? code = null, reason = null, folder = null;
        if (kind is "reject" or "tempfail")
        {
            code = OptionalString(root, "code");
            if (code is not null && !CodePattern().IsMatch(code))
            {
                throw new VerdictException($"code '{code}' is not a dotted lowercase code");
            }

            reason = Clean(OptionalString(root, "reason"));
        }

        if (kind == "quarantine")
        {
            folder = CheckFolder(OptionalString(root, "folder") ?? "Junk");
        }

        ReadOnlyMemory<byte>? replace = null;
        if (root.TryGetProperty("replace", out var replaceElement) && replaceElement.ValueKind != JsonValueKind.Null)
        {
            Require(actions, "replace");
            replace = Slice(replaceElement, body, "replace");
            if (replace.Value.IsEmpty)
            {
                throw new VerdictException("replace: the new message is empty");
            }
        }

        var headers = new List<HeaderOp>();
        foreach (var item in Array(root, "headers"))
        {
            Require(actions, "headers");
            headers.Add(ReadHeaderOp(item));
        }

        var add = new List<string>();
        var remove = new List<string>();
        if (root.TryGetProperty("recipients", out var recipients) && recipients.ValueKind == JsonValueKind.Object)
        {
            Require(actions, "recipients");
            add.AddRange(Array(recipients, "add").Select(e => Address(e.GetString(), "recipients.add")));
            remove.AddRange(Array(recipients, "remove").Select(e => Address(e.GetString(), "recipients.remove")));
        }

        var file = new List<KeyValuePair<string, string>>();
        foreach (var item in Array(root, "file"))
        {
            Require(actions, "file");
            file.Add(new(Recipient(item), CheckFolder(OptionalString(item, "folder") ?? throw new VerdictException("file: \"folder\" is missing"))));
        }

        var flags = new List<KeyValuePair<string, MessageFlags>>();
        foreach (var item in Array(root, "flags"))
        {
            Require(actions, "flags");
            var names = Array(item, "flags").Select(e => e.GetString() ?? string.Empty).ToList();
            if (!FlagMapping.TryParse(names, out var bits, out var unknown))
            {
                throw new VerdictException($"flags: unknown flag '{unknown}'");
            }

            flags.Add(new(Recipient(item), bits));
        }

        var inject = new List<InjectedMessage>();
        foreach (var item in Array(root, "inject"))
        {
            Require(actions, "inject");
            var sender = OptionalString(item, "sender") ?? string.Empty;
            if (sender.Length > 0)
            {
                sender = Address(sender, "inject.sender");
            }

            var to = Array(item, "recipients").Select(e => Address(e.GetString(), "inject.recipients")).Distinct(StringComparer.Ordinal).ToList();
            if (to.Count == 0)
            {
                throw new VerdictException("inject: no recipients");
            }

            var raw = Slice(item, body, "inject");
            if (raw.IsEmpty)
            {
                throw new VerdictException("inject: the message is empty");
            }

            inject.Add(new InjectedMessage(sender, to, raw, filter));
        }

        return new FilterVerdict(kind, code, reason, folder, replace, headers, add, remove, file, flags, inject);
    }

    private static HeaderOp ReadHeaderOp(JsonElement item)
    {
        var op = OptionalString(item, "op");
        if (op is not ("add" or "change" or "delete"))
        {
            throw new VerdictException($"headers: unknown op '{op}'");
        }

        var name = OptionalString(item, "name") ?? throw new VerdictException("headers: \"name\" is missing");
        if (name.Length is 0 or > 76 || name.Any(c => c is <= ' ' or > '~' or ':'))
        {
            throw new VerdictException($"headers: '{name}' is not a field name");
        }

        var index = 1;
        if (item.TryGetProperty("index", out var indexElement) && (!indexElement.TryGetInt32(out index) || index < 1))
        {
            throw new VerdictException("headers: \"index\" must be a positive integer");
        }

        string? value = null;
        if (op != "delete")
        {
            value = OptionalString(item, "value") ?? throw new VerdictException("headers: \"value\" is missing");
            if (value.Any(c => c is '\r' or '\n' or '\0') || name.Length + value.Length > 996)
            {
                throw new VerdictException($"headers: the value of {name} must be one line of at most 998 characters with its name");
            }
        }

        return new HeaderOp(op, name, value, index);
    }

    private static ReadOnlyMemory<byte> Slice(JsonElement item, ReadOnlyMemory<byte> body, string what)
    {
        // Compared without adding offset and length: their sum can overflow a long and pass.
        if (!item.TryGetProperty("offset", out var o) || !o.TryGetInt64(out var offset)
            || !item.TryGetProperty("length", out var l) || !l.TryGetInt64(out var length)
            || offset < 0 || length < 0 || offset > body.Length || length > body.Length - offset)
        {
            throw new VerdictException($"{what}: offset and length must lie inside the body ({body.Length} bytes)");
        }

        return body.Slice((int)offset, (int)length);
    }

    private static string Recipient(JsonElement item)
    {
        var recipient = OptionalString(item, "recipient") ?? "*";
        return recipient == "*" ? recipient : Address(recipient, "recipient");
    }

    private static string Address(string? text, string what) =>
        Addresses.TryNormalize(text, out var address, out _) ? address : throw new VerdictException($"{what}: '{text}' is not an address");

    private static string CheckFolder(string folder)
    {
        if (folder.Length is 0 or > 1024 || folder.Any(char.IsControl) || folder.StartsWith('/') || folder.EndsWith('/') || folder.Contains("//", StringComparison.Ordinal))
        {
            throw new VerdictException($"'{folder}' is not a folder name");
        }

        return folder;
    }

    private static void Require(IReadOnlySet<string> actions, string action)
    {
        if (!actions.Contains(action))
        {
            throw new VerdictException($"the filter did not declare the action '{action}'");
        }
    }

    private static string? OptionalString(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value.GetString() : null;

    private static IEnumerable<JsonElement> Array(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array ? value.EnumerateArray() : [];

    private static string? Clean(string? text) =>
        text is null ? null : new string(text.Take(MaxReasonLength).Select(c => char.IsControl(c) ? ' ' : c).ToArray());

    [GeneratedRegex("^[a-z0-9-]+(\\.[a-z0-9-]+)+$")]
    private static partial Regex CodePattern();
}
