using Butterfly.Mime.Tests;
using Butterfly.Protocol.Tests.Fuzzing;
using Butterfly.Server.Tests.Fuzzing;
using SharpFuzz;

// One AFL++ target per run, named by the first argument (tests/fuzz/run.sh). With a second
// argument, runs that one file in-process instead, to reproduce a crash with a stack trace.
var targets = new Dictionary<string, ReadOnlySpanAction>(StringComparer.Ordinal)
{
    ["frame"] = FrameFuzz.Fuzz,
    ["head"] = HeadFuzz.Fuzz,
    ["mime"] = MimeFuzz.Fuzz,
    ["verdict"] = VerdictFuzz.Fuzz,
};

if (args.Length is < 1 or > 2 || !targets.TryGetValue(args[0], out var target))
{
    await Console.Error.WriteLineAsync("usage: Butterfly.Fuzz frame|head|mime|verdict [input-file]");
    return 2;
}

if (args.Length == 2)
{
    target(File.ReadAllBytes(args[1]));
    return 0;
}

Fuzzer.OutOfProcess.Run(stream =>
{
    using var copy = new MemoryStream();
    stream.CopyTo(copy);
    target(copy.GetBuffer().AsSpan(0, (int)copy.Length));
});
return 0;
