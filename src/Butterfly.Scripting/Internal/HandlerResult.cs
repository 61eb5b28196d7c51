using Jint;
using Jint.Native;
using Jint.Runtime;
using Jint.Runtime.Interop;

namespace Butterfly.Scripting.Internal;

/// <summary>Settles what a handler returned: an async handler's promise is run to its end on the run's thread.</summary>
internal static class HandlerResult
{
    // The sandbox has no timers or I/O, so once the job queue is empty nothing can settle a promise:
    // wait no longer than it takes to notice (Jint runs the queued jobs before it starts waiting).
    private static readonly TimeSpan IdleWait = TimeSpan.FromMilliseconds(1);

    public static void Settle(Engine engine, JsValue returned)
    {
        if (!returned.IsPromise())
        {
            return;
        }

        // A promise that fulfils (whatever the handler's promise does) once the handler's promise settles:
        // if even this one does not settle, the handler's never will.
        var ignore = new ClrFunction(engine, "settled", (_, _) => JsValue.Undefined);
        var whenSettled = returned.AsObject().Get("then").Call(returned, [ignore, ignore]);
        try
        {
            whenSettled.UnwrapIfPromise(IdleWait);
        }
        catch (PromiseRejectedException)
        {
            throw new ScriptLimitException(
                ScriptOutcome.RuntimeError,
                "the handler's promise never settled: it awaits something nothing can resolve (scripts have no timers or I/O)");
        }

        // Settled now: returns, or throws the handler's rejection.
        returned.UnwrapIfPromise(IdleWait);
    }
}
