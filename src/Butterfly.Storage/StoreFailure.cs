using Butterfly.Storage.Internal;

namespace Butterfly.Storage;

/// <summary>Why an operation failed, independent of the value it would have returned.</summary>
/// <param name="Error">The kind of failure.</param>
/// <param name="Detail">A sentence for a person that names the thing.</param>
public readonly record struct StoreFailure(StoreError Error, string Detail) : IStoreOutcome
{
    /// <summary>Always false: a failure is never a success.</summary>
    public bool Ok => false;
}
