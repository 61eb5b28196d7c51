namespace Butterfly.Storage;

/// <summary>What a submission id was answered the first time.</summary>
/// <param name="Result">The caller's answer as recorded.</param>
/// <param name="Copy">The stored copy the answer names (it may have been moved or deleted since).</param>
public sealed record SubmissionAnswer(string Result, DeliveredCopy Copy);
