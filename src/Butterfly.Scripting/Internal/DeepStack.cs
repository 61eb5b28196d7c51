namespace Butterfly.Scripting.Internal;

/// <summary>
/// Runs a script on a thread (pooled: <see cref="DeepStackPool"/>) whose stack is deeper than anything the script can build within its
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

    // One pool per stack size (in practice one: the server's limits); threads idle this long end.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<int, DeepStackPool> Pools = new();

    /// <summary>The most threads of one stack size kept waiting for work.</summary>
    public static int MaxIdleThreads { get; } = Math.Max(4, 2 * Environment.ProcessorCount);

    /// <summary>The stack a run under <paramref name="limits"/> gets.</summary>
    public static int StackBytes(ScriptLimits limits) =>
        (int)Math.Clamp(limits.MaxMemoryBytes * StackPerBudgetByte, MinStackBytes, int.MaxValue & ~0xFFFF);

    /// <summary>The shared pool of threads with the stack <paramref name="limits"/> need.</summary>
    public static DeepStackPool PoolFor(ScriptLimits limits) =>
        Pools.GetOrAdd(StackBytes(limits), static bytes => new DeepStackPool(bytes, MaxIdleThreads, TimeSpan.FromSeconds(30)));

    /// <summary>Runs <paramref name="body"/> on a deep-stack thread and waits for it.</summary>
    /// <param name="limits">The limits, which size the stack.</param>
    /// <param name="body">What to run.</param>
    /// <param name="keepThread">Whether the thread may run more after this result (see <see cref="KeepsThread"/>).</param>
    public static T Run<T>(ScriptLimits limits, Func<T> body, Func<T, bool> keepThread) => PoolFor(limits).Run(body, keepThread);

    /// <summary>
    /// Whether a thread goes on serving runs after one that ended with <paramref name="outcome"/>: not after
    /// a memory or recursion stop, where the stack may have been touched deep down (those pages stay
    /// committed while the thread lives; a new thread starts with none).
    /// </summary>
    public static bool KeepsThread(ScriptOutcome outcome) => outcome is not (ScriptOutcome.MemoryLimit or ScriptOutcome.RecursionLimit);
}
