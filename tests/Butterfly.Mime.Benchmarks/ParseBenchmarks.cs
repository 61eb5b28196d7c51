using BenchmarkDotNet.Attributes;
using Butterfly.Mime.Mbox;

namespace Butterfly.Mime.Benchmarks;

/// <summary>
/// Parses the 1,000-message corpus: headers and MIME structure, bodies not decoded. One
/// operation is one message (OperationsPerInvoke), so messages/s = 1e9 / Mean(ns).
/// </summary>
[MemoryDiagnoser]
public class ParseBenchmarks
{
    private byte[] _mbox = [];
    private ReadOnlyMemory<byte>[] _messages = [];

    /// <summary>The number of messages in the corpus.</summary>
    public const int Messages = 1000;

    [GlobalSetup]
    public void Setup()
    {
        _mbox = Corpus.LoadMbox();
        _messages = Corpus.LoadMessages(_mbox);
        if (_messages.Length != Messages)
        {
            throw new InvalidOperationException("Expected " + Messages + " messages, found " + _messages.Length);
        }
    }

    /// <summary>Each message from its own buffer.</summary>
    [Benchmark(OperationsPerInvoke = Messages)]
    public int PerMessage() => Workloads.PerMessage(_messages);

    /// <summary>The whole mbox read as a stream, each message parsed.</summary>
    [Benchmark(OperationsPerInvoke = Messages)]
    public int MboxStream() => Workloads.MboxStream(_mbox);

    /// <summary>Per message, plus reading the summary fields (From, To, Subject, Date, Message-ID).</summary>
    [Benchmark(OperationsPerInvoke = Messages)]
    public int PerMessageWithSummary() => Workloads.PerMessageWithSummary(_messages);

    /// <summary>Each message from its own buffer through MimeKit's parser (the target: the scanner at 3x this or more).</summary>
    [Benchmark(OperationsPerInvoke = Messages)]
    public int MimeKitPerMessage() => Workloads.MimeKitPerMessage(_messages);
}
