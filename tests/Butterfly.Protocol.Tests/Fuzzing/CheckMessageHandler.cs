using System.Runtime.CompilerServices;
using System.Text;

namespace Butterfly.Protocol.Tests.Fuzzing;

/// <summary>
/// Builds a check's failure message only when the check fails: the fuzz loop runs millions of
/// checks, and formatting every message eagerly would cost more than the reader itself.
/// </summary>
[InterpolatedStringHandler]
internal ref struct CheckMessageHandler
{
    private readonly StringBuilder? _builder;

    public CheckMessageHandler(int literalLength, int formattedCount, bool condition, out bool shouldAppend)
    {
        _ = formattedCount;
        _builder = condition ? null : new StringBuilder(literalLength);
        shouldAppend = !condition;
    }

    public readonly void AppendLiteral(string value) => _builder?.Append(value);

    public readonly void AppendFormatted<T>(T value) => _builder?.Append(value);

    public override readonly string ToString() => _builder?.ToString() ?? string.Empty;
}
