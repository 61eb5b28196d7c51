using System.Text.Json;

namespace Butterfly.Server.Control;

/// <summary>What an operator command handler gets.</summary>
/// <param name="Services">The store and configuration it works on.</param>
/// <param name="Head">The request's JSON head (an object).</param>
/// <param name="Aborted">Cancelled when nobody waits for the answer any more.</param>
internal readonly record struct ControlRequest(OperatorServices Services, JsonElement Head, CancellationToken Aborted);
