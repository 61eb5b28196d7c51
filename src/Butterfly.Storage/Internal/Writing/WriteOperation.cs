namespace Butterfly.Storage.Internal;

/// <summary>
/// One unit of work for the writer. It runs inside its own savepoint; its task completes only after the
/// transaction holding it has committed.
/// </summary>
internal abstract class WriteOperation
{
    protected WriteOperation(CancellationToken cancellationToken, bool freesSpace)
    {
        CancellationToken = cancellationToken;
        FreesSpace = freesSpace;
    }

    /// <summary>
    /// A delete, move, flag change or folder deletion: on a full disk it may use the reserve, because
    /// it is how a user makes room. Writes that add mail never do.
    /// </summary>
    public bool FreesSpace { get; }

    /// <summary>Checked once, before the operation runs; after that the operation always runs to the end.</summary>
    public CancellationToken CancellationToken { get; }

    /// <summary>Set by <see cref="Execute"/> when the operation returned a failure value and wrote nothing worth keeping.</summary>
    public bool RollbackRequested { get; protected set; }

    public abstract void Execute(WriterContext context);

    /// <summary>Called after the commit.</summary>
    public abstract void Complete();

    public abstract void Fail(Exception exception);

    public abstract void Cancel();
}
