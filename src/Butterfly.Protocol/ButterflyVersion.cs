using System.Reflection;

namespace Butterfly.Protocol;

/// <summary>The product version, taken from the build (<c>Version</c> in Directory.Build.props).</summary>
public static class ButterflyVersion
{
    /// <summary>
    /// The version, e.g. <c>0.9.0</c>: the assembly's informational version without the
    /// <c>+commit</c> suffix the SDK appends, so a trace field does not change with every commit.
    /// </summary>
    public static string Current { get; } = Read();

    private static string Read()
    {
        var informational = typeof(ButterflyVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        if (string.IsNullOrEmpty(informational))
        {
            return typeof(ButterflyVersion).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
        }

        var plus = informational.IndexOf('+', StringComparison.Ordinal);
        return plus < 0 ? informational : informational[..plus];
    }
}
