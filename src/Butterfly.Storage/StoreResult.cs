using Butterfly.Storage.Internal;

namespace Butterfly.Storage;

/// <summary>The outcome of a store operation: a value, or the reason there is none.</summary>
/// <typeparam name="T">The type of the value.</typeparam>
/// <param name="Value">The value when <see cref="Ok"/>.</param>
/// <param name="Error">The reason of failure, or <see cref="StoreError.None"/>.</param>
public readonly record struct StoreResult<T>(T? Value, StoreError Error) : IStoreOutcome
{
    /// <summary>Whether the operation succeeded.</summary>
    public bool Ok => Error == StoreError.None;

    /// <summary>A successful result.</summary>
    public static StoreResult<T> Success(T v) => new(v, StoreError.None);

    /// <summary>A failed result.</summary>
    public static StoreResult<T> Fail(StoreError e) => new(default, e);
}
