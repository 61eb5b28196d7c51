namespace Butterfly.Client;

/// <summary>Submission ids for <c>send</c> and <c>message.store</c> (protocol/client.md, "Submission ids").</summary>
public static class SubmissionIds
{
    /// <summary>A new id: a version 7 UUID as 32 hex digits, unique without coordination.</summary>
    public static string New() => Guid.CreateVersion7().ToString("N");
}
