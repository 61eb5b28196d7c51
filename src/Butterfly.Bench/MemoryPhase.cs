namespace Butterfly.Bench;

/// <summary>The daemon's memory around one attack of <c>bench memory</c>.</summary>
/// <param name="Scenario">The attack.</param>
/// <param name="Connections">Connections it opened.</param>
/// <param name="BytesSent">Bytes the attack got into the sockets.</param>
/// <param name="Before">Resident memory before it started.</param>
/// <param name="During">The highest resident memory sampled while it was held.</param>
/// <param name="After">Resident memory once it had ended and the settle time had passed.</param>
/// <param name="HighWater">The daemon's lifetime peak (VmHWM) at the end.</param>
/// <param name="CalledOff">True when the attack was ended early because the daemon passed the memory cap.</param>
public sealed record MemoryPhase(MemoryScenario Scenario, int Connections, long BytesSent, long Before, long During, long After, long HighWater, bool CalledOff);
