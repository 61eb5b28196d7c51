using Butterfly.TestUtilities;

namespace Butterfly.Web.Tests.Infrastructure;

/// <summary>A daemon and a laptop-sized browser (1280×800).</summary>
public sealed class DesktopFixture : BrowserFixture
{
    protected override ChromiumWindow Window => ChromiumWindow.Desktop;
}
