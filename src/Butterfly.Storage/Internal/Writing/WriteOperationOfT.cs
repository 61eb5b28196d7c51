namespace Butterfly.Storage.Internal;

/// <summary>A write operation that produces a value.</summary>
internal sealed class WriteOperation<T> : WriteOperation
{
    private readonly Func<WriterContext, T> _body;
    private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private T? _result;

    public WriteOperation(Func<WriterContext, T> body, CancellationToken cancellationToken, bool freesSpace)
        : base(cancellationToken, freesSpace)
    {
        _body = body;
    }

    public Task<T> Task => _completion.Task;

    public override void Execute(WriterContext context)
    {
        _result = _body(context);
        RollbackRequested = _result is IStoreOutcome { Ok: false };
    }

    public override void Complete() => _completion.TrySetResult(_result!);

    public override void Fail(Exception exception) => _completion.TrySetException(exception);

    public override void Cancel() => _completion.TrySetCanceled(CancellationToken);
}
