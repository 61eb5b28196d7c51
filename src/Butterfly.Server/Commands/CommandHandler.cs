using Butterfly.Server.Wire;

namespace Butterfly.Server.Commands;

/// <summary>Carries out one command and returns its reply.</summary>
/// <param name="context">The request.</param>
internal delegate ValueTask<Reply> CommandHandler(CommandContext context);
