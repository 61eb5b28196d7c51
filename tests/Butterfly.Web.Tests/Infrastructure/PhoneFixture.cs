using Butterfly.TestUtilities;

namespace Butterfly.Web.Tests.Infrastructure;

/// <summary>A daemon and a phone-sized browser (390×844, mobile emulation).</summary>
public sealed class PhoneFixture : BrowserFixture
{
    protected override ChromiumWindow Window => ChromiumWindow.Phone;
}
