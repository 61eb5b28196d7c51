using Butterfly.Server.Wire;

namespace Butterfly.Server.Control;

/// <summary>Carries out one operator command.</summary>
/// <param name="request">The request.</param>
internal delegate ValueTask<Reply> ControlHandler(ControlRequest request);
