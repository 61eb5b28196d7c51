namespace Butterfly.Server.Tests.Federation;

/// <summary>One call the transport received.</summary>
internal sealed record QueueTransportCall(string Domain, string DeliveryId, string Sender, string[] Recipients, int Hops, byte[] Message, int Number, CancellationToken Token);
