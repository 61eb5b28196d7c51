using Butterfly.Cli.Arguments;
using Butterfly.Cli.Commands;
using Butterfly.Client;

namespace Butterfly.Cli.Mail;

/// <summary>Opens a client connection from the command line and the environment.</summary>
internal static class MailConnection
{
    public const string DefaultServer = "127.0.0.1:7410";

    /// <summary>The server address from <c>--server</c>, <c>BUTTERFLY_SERVER</c> or the default.</summary>
    /// <exception cref="UsageException">The address cannot be parsed.</exception>
    public static ButterflyEndpoint Endpoint(CommandContext context, ParsedArguments args)
    {
        var text = args.Value("server") ?? context.Environment("BUTTERFLY_SERVER") ?? DefaultServer;
        if (!ButterflyEndpoint.TryParse(text, out var endpoint))
        {
            throw new UsageException($"'{text}' is not a server address (HOST:PORT).");
        }

        return endpoint;
    }

    /// <summary>The account from <c>--user</c> or <c>BUTTERFLY_USER</c>.</summary>
    /// <exception cref="UsageException">Neither is set.</exception>
    public static string User(CommandContext context, ParsedArguments args) =>
        args.Value("user") ?? context.Environment("BUTTERFLY_USER")
        ?? throw new UsageException("no account given: use --user ADDRESS or set BUTTERFLY_USER.");

    /// <summary>Connects without logging in.</summary>
    public static Task<ButterflyClient> ConnectAsync(CommandContext context, ParsedArguments args, ButterflyClientOptions? options = null)
    {
        var endpoint = Endpoint(context, args);
        return ButterflyClient.ConnectAsync(endpoint.Host, endpoint.Port, options, context.CancellationToken);
    }

    /// <summary>Reads the account and password, connects and logs in.</summary>
    public static async Task<ButterflyClient> LoginAsync(CommandContext context, ParsedArguments args)
    {
        var user = User(context, args);
        var password = await PasswordReader.ReadAsync(context, args, "BUTTERFLY_PASSWORD", $"Password for {user}: ");
        var client = await ConnectAsync(context, args);
        try
        {
            await client.LoginAsync(user, password, context.CancellationToken);
            return client;
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }
    }
}
