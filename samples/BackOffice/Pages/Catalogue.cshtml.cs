using BackOffice.Sync;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace BackOffice.Pages;

public sealed class CatalogueModel(CatalogueStore catalogue) : PageModel
{
    public IReadOnlyList<CatalogueItem> Items => catalogue.Items;
}
