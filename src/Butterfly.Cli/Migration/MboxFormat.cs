namespace Butterfly.Cli.Migration;

/// <summary>How an mbox file quotes body lines that look like its separator.</summary>
internal enum MboxFormat
{
    /// <summary>
    /// mboxrd: every line matching <c>^&gt;*From </c> got one more <c>&gt;</c> when written, so reading
    /// takes one away from every such line and gets the message back exactly.
    /// </summary>
    Mboxrd,

    /// <summary>
    /// mboxo: only <c>From </c> lines were quoted (<c>&gt;From </c>); lines that already began with
    /// <c>&gt;From </c> were written as they were, so reading takes the <c>&gt;</c> off <c>&gt;From </c>
    /// alone and leaves <c>&gt;&gt;From </c> as it is. The format cannot tell the two apart.
    /// </summary>
    Mboxo,
}
