using Butterfly.Storage.Internal;

namespace Butterfly.Storage;

/// <summary>The outcome of a store operation: a value, or the reason there is none.</summary>
/// <typeparam name="T">The type of the value.</typeparam>
/// <param name="Value">The value when <see cref="Ok"/>.</param>
/// <param name="Error">The reason of failure, or <see cref="StoreError.None"/>.</param>
/// <param name="Detail">For a failure, a sentence for a person that names the thing (<c>No such folder: Archive/2025</c>).</param>
public readonly record struct StoreResult<T>(T? Value, StoreError Error, string? Detail = null) : IStoreOutcome
{
    /// <summary>Whether the operation succeeded.</summary>
    public bool Ok => Error == StoreError.None;

    /// <summary>The failure, to pass on as the failure of another result type.</summary>
    public StoreFailure Failure => new(Error, Detail ?? Error.ToString());

    /// <summary>A successful result.</summary>
    public static StoreResult<T> Success(T v) => new(v, StoreError.None);

    /// <summary>A failed result.</summary>
    public static StoreResult<T> Fail(StoreError e, string detail) => new(default, e, detail);

    /// <summary>A failure as a result of any type.</summary>
    public static implicit operator StoreResult<T>(StoreFailure failure) => new(default, failure.Error, failure.Detail);
}
