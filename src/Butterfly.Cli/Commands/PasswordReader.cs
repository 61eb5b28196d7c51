using System.Text;

namespace Butterfly.Cli.Commands;

/// <summary>Gets a password from stdin, an option, the environment, or an interactive prompt without echo.</summary>
internal static class PasswordReader
{
    /// <summary>
    /// The password in order of precedence: <c>--password-stdin</c> (first line of stdin),
    /// <c>--password</c>, the source's environment variable, then a prompt (a line of stdin
    /// when stdin is not a terminal).
    /// </summary>
    /// <exception cref="UsageException">No password could be had, or it is empty; the message names the ways the command offers.</exception>
    public static async Task<string> ReadAsync(CommandContext context, PasswordSource source, string prompt, bool confirm = false)
    {
        string? password;
        if (source.FromStdin)
        {
            password = await ReadLineAsync(context);
        }
        else if (source.Given is { } given)
        {
            password = given;
        }
        else if (source.EnvironmentVariable is not null && context.Environment(source.EnvironmentVariable) is { Length: > 0 } fromEnvironment)
        {
            password = fromEnvironment;
        }
        else if (context.InputRedirected)
        {
            password = await ReadLineAsync(context);
        }
        else
        {
            password = Prompt(context, prompt);
            if (confirm && password.Length > 0 && Prompt(context, "Repeat password: ") != password)
            {
                throw new UsageException("the passwords do not match.");
            }
        }

        if (string.IsNullOrEmpty(password))
        {
            throw new UsageException($"no password given: use {source.Ways}.");
        }

        return password;
    }

    private static async Task<string?> ReadLineAsync(CommandContext context)
    {
        var line = await context.In.ReadLineAsync(context.CancellationToken);
        return line?.TrimEnd('\r');
    }

    /// <summary>Reads a line from the terminal without echoing it.</summary>
    private static string Prompt(CommandContext context, string prompt)
    {
        context.Error.Write(prompt);
        context.Error.Flush();
        var password = new StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter)
            {
                break;
            }

            if (key.Key == ConsoleKey.Backspace)
            {
                if (password.Length > 0)
                {
                    password.Length--;
                }

                continue;
            }

            if (key.Key == ConsoleKey.C && key.Modifiers.HasFlag(ConsoleModifiers.Control))
            {
                context.Error.WriteLine();
                throw new OperationCanceledException();
            }

            if (!char.IsControl(key.KeyChar))
            {
                password.Append(key.KeyChar);
            }
        }

        context.Error.WriteLine();
        return password.ToString();
    }
}
