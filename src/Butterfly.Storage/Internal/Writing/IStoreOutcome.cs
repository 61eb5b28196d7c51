namespace Butterfly.Storage.Internal;

/// <summary>Lets the writer roll back the savepoint of an operation that returned a failure value.</summary>
internal interface IStoreOutcome
{
    bool Ok { get; }
}
