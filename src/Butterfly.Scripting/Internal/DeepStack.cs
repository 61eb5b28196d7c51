using System.Runtime.ExceptionServices;

namespace Butterfly.Scripting.Internal;

/// <summary>
/// Runs a script on a thread of its own whose stack is deeper than anything the script can build within its
/// memory budget, so a deeply nested value cannot overflow the native stack and take the server down.
/// </summary>
/// <remarks>
/// Jint guards interpreted function calls (<c>LimitRecursion</c> and its stack probe), but several built-ins
/// recurse in C# over the script's data: <c>JSON.stringify</c> of an object nested 12,000 deep,
/// <c>String(a)</c> of an array nested 18,000 deep, <c>flat(Infinity)</c>, a chain of bound functions or proxies.
/// On the default 8 MiB stack each of those is a native stack overflow, which no <c>catch</c> sees: the
/// process is gone. Each nesting level costs the script at least ~100 bytes of its allocation budget and
/// those built-ins at most ~800 bytes of stack, and a run has two entries (top-level code, handler), so a
/// stack of <see cref="StackPerBudgetByte"/> times the memory budget cannot be exhausted by such data. The
/// stack is reserved, not committed: only the pages a run touches cost memory.
/// </remarks>
internal static class DeepStack
{
    public const int StackPerBudgetByte = 24;

    private const long MinStackBytes = 16L * 1024 * 1024;

    public static T Run<T>(ScriptLimits limits, Func<T> body)
    {
        var stackBytes = (int)Math.Clamp(limits.MaxMemoryBytes * StackPerBudgetByte, MinStackBytes, int.MaxValue & ~0xFFFF);
        T result = default!;
        ExceptionDispatchInfo? failure = null;
        var thread = new Thread(
            () =>
            {
                try
                {
                    result = body();
                }
                catch (Exception exception)
                {
                    failure = ExceptionDispatchInfo.Capture(exception);
                }
            },
            stackBytes)
        {
            IsBackground = true,
            Name = "script run",
        };
        thread.Start();
        thread.Join();
        failure?.Throw();
        return result;
    }
}
