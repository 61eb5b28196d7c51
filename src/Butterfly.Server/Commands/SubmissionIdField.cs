using System.Text.Json;
using Butterfly.Server.Wire;

namespace Butterfly.Server.Commands;

/// <summary>
/// The optional <c>submission</c> field of <c>send</c> and <c>message.store</c> (protocol/client.md,
/// "Submission ids"): 1 to 128 characters from <c>A-Z a-z 0-9 - _ . : + / =</c>, so a UUID, a ULID
/// or base64 fits, and the id can be logged as it is.
/// </summary>
internal static class SubmissionIdField
{
    /// <summary>The field's name.</summary>
    public const string Name = "submission";

    /// <summary>The longest id accepted.</summary>
    public const int MaxLength = 128;

    /// <summary>Reads the field: null when absent, else the id; a malformed one is <c>request.invalid</c>.</summary>
    public static bool TryRead(JsonElement head, out string? id, out Reply error)
    {
        id = null;
        if (!Fields.TryString(head, Name, out var value, out error, required: false))
        {
            return false;
        }

        if (!head.TryGetProperty(Name, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        if (value.Length is 0 or > MaxLength || !value.All(IsAllowed))
        {
            error = Fields.Invalid(Name, $"1 to {MaxLength} characters from A-Z a-z 0-9 - _ . : + / =");
            return false;
        }

        id = value;
        return true;
    }

    private static bool IsAllowed(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':' or '+' or '/' or '=';
}
