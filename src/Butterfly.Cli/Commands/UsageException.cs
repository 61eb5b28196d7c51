namespace Butterfly.Cli.Commands;

/// <summary>The command line is wrong in a way only the action can see: exit code 2, like a parse error.</summary>
internal sealed class UsageException : Exception
{
    public UsageException()
    {
    }

    public UsageException(string message)
        : base(message)
    {
    }

    public UsageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
