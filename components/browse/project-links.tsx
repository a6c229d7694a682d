// The uploader's project URLs (Homepage, Source, Documentation…). Only http(s) URLs become links.
const SAFE_URL = /^https?:\/\/[^\s]+$/i;

export function ProjectLinks({
  homePage,
  projectUrls,
}: {
  homePage: string | null;
  projectUrls: readonly { label: string; url: string }[];
}) {
  const links = [...projectUrls];
  if (homePage && !links.some((l) => l.url === homePage)) links.unshift({ label: "Homepage", url: homePage });
  if (links.length === 0) return null;
  return (
    <section className="sidebar-section" aria-labelledby="links-h">
      <h3 id="links-h">Project links</h3>
      <ul className="plain-list" data-testid="project-links">
        {links.map((link, i) => (
          <li key={`${i}-${link.url}`}>
            {SAFE_URL.test(link.url.trim()) ? (
              <a href={link.url.trim()} rel="nofollow noopener" title={link.url}>
                {link.label || link.url}
              </a>
            ) : (
              <span title={link.url}>{link.label || link.url}</span>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
