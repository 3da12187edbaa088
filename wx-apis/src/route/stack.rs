//! The page stack and WeChat's rules for each route type: which pages are
//! unloaded, hidden, shown or created, and in which order (the base library's
//! lifecycle table). Pure state: no I/O, no JS, no threads.

use super::url::Target;
use wx_core::WxError;

/// WeChat keeps at most this many pages on the stack.
pub const MAX_PAGES: usize = 10;

/// One page instance, for the life of that instance (a page opened twice is two ids).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PageId(pub u64);

/// One lifecycle call the host makes on a page, in the order given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// Create the page `route`: a fresh instance, then `onLoad(query)`.
    Load {
        /// The new instance.
        page: PageId,
        /// Its route, without `.html`.
        route: String,
        /// What `onLoad` receives (and `page.options`), in order.
        query: Vec<(String, String)>,
    },
    /// `onShow()`.
    Show(PageId),
    /// `onReady()`: right after the first `onShow` (a headless host has no view to wait for).
    Ready(PageId),
    /// `onHide()`.
    Hide(PageId),
    /// `onUnload()`; the instance is gone after it.
    Unload(PageId),
}

/// A page instance the stack holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    /// The instance.
    pub id: PageId,
    /// Its route.
    pub route: String,
}

/// The pages of a package, as its `app.json` lists them.
#[derive(Debug, Clone)]
pub struct Pages {
    pages: Vec<String>,
    tab_bar: Vec<String>,
    entry: String,
}

impl Pages {
    /// `pages` (routes without `.js`), the tabBar's `pagePath`s and the entry page
    /// (`entryPagePath`, else the first page). Refused, with the field named as
    /// `app.json` names it: no pages, a tab or entry page that is not a page.
    pub fn new(
        pages: Vec<String>,
        tab_bar: Vec<String>,
        entry: Option<String>,
    ) -> Result<Pages, String> {
        let Some(first) = pages.first().cloned() else {
            return Err("\"pages\" must list at least one page".into());
        };
        for tab in &tab_bar {
            if !pages.contains(tab) {
                return Err(format!(
                    "tabBar.list pagePath \"{tab}\" is not listed in \"pages\""
                ));
            }
        }
        let entry = entry.unwrap_or(first);
        if !pages.contains(&entry) {
            return Err(format!(
                "entryPagePath \"{entry}\" is not listed in \"pages\""
            ));
        }
        Ok(Pages {
            pages,
            tab_bar,
            entry,
        })
    }

    /// Every page route, in `app.json` order.
    pub fn routes(&self) -> &[String] {
        &self.pages
    }

    /// The entry page.
    pub fn entry(&self) -> &str {
        &self.entry
    }

    /// Whether `route` is a page of the package.
    pub fn contains(&self, route: &str) -> bool {
        self.pages.iter().any(|p| p == route)
    }

    /// Whether `route` is a tabBar page.
    pub fn is_tab(&self, route: &str) -> bool {
        self.tab_bar.iter().any(|p| p == route)
    }
}

/// The live pages: the stack, bottom first, and the tab pages kept alive off it.
#[derive(Debug)]
pub struct Stack {
    pages: Pages,
    stack: Vec<Page>,
    /// Tab pages visited before and left by `switchTab`: alive, not on the stack.
    kept_tabs: Vec<Page>,
    next_id: u64,
}

impl Stack {
    /// An empty stack for `pages`.
    pub fn new(pages: Pages) -> Stack {
        Stack {
            pages,
            stack: Vec::new(),
            kept_tabs: Vec::new(),
            next_id: 0,
        }
    }

    /// The package's pages.
    pub fn pages(&self) -> &Pages {
        &self.pages
    }

    /// The stack, bottom first.
    pub fn current(&self) -> &[Page] {
        &self.stack
    }

    /// The route relative urls resolve against: the top page's, `""` before the first.
    pub fn base(&self) -> &str {
        self.stack.last().map_or("", |p| p.route.as_str())
    }

    /// WeChat's refusal of a page it does not have.
    fn find(&self, target: &Target) -> Result<(), WxError> {
        match self.pages.contains(&target.route) {
            true => Ok(()),
            false => Err(not_found(target)),
        }
    }

    fn open(&mut self, target: &Target, steps: &mut Vec<Step>) {
        self.next_id += 1;
        let page = Page {
            id: PageId(self.next_id),
            route: target.route.clone(),
        };
        steps.push(Step::Load {
            page: page.id,
            route: page.route.clone(),
            query: target.query.clone(),
        });
        steps.push(Step::Show(page.id));
        steps.push(Step::Ready(page.id));
        self.stack.push(page);
    }

    /// Unloads every page on the stack above the bottom one, top first.
    fn pop_to_bottom(&mut self, steps: &mut Vec<Step>) -> bool {
        let popped = self.stack.len() > 1;
        while self.stack.len() > 1 {
            let page = self.stack.pop().expect("checked above");
            steps.push(Step::Unload(page.id));
        }
        popped
    }

    /// The launch (or a launch after `onPageNotFound`): the page opens on an empty stack.
    pub fn launch(&mut self, target: &Target) -> Result<Vec<Step>, WxError> {
        self.find(target)?;
        let mut steps = Vec::new();
        self.unload_all(&mut steps);
        self.open(target, &mut steps);
        Ok(steps)
    }

    /// `navigateTo`: the top page is hidden, the new one opened above it.
    pub fn navigate_to(&mut self, target: &Target) -> Result<Vec<Step>, WxError> {
        self.find(target)?;
        if self.pages.is_tab(&target.route) {
            return Err(WxError::new("can not navigateTo a tabbar page"));
        }
        if self.stack.len() >= MAX_PAGES {
            return Err(WxError::new("webview count limit exceed"));
        }
        let mut steps = Vec::new();
        if let Some(top) = self.stack.last() {
            steps.push(Step::Hide(top.id));
        }
        self.open(target, &mut steps);
        Ok(steps)
    }

    /// `redirectTo`: the top page is unloaded and the new one takes its place.
    pub fn redirect_to(&mut self, target: &Target) -> Result<Vec<Step>, WxError> {
        self.find(target)?;
        if self.pages.is_tab(&target.route) {
            return Err(WxError::new("can not redirectTo a tabbar page"));
        }
        let mut steps = Vec::new();
        if let Some(top) = self.stack.pop() {
            steps.push(Step::Unload(top.id));
        }
        self.open(target, &mut steps);
        Ok(steps)
    }

    /// `navigateBack` by `delta` pages (already made a whole number of at least
    /// 1): the pages above the target are unloaded top first, then the target
    /// is shown. Going back further than the stack stops at its first page.
    pub fn navigate_back(&mut self, delta: usize) -> Result<Vec<Step>, WxError> {
        if self.stack.len() <= 1 {
            return Err(WxError::new("cannot navigate back at first page."));
        }
        let delta = delta.min(self.stack.len() - 1);
        let mut steps = Vec::new();
        for _ in 0..delta {
            let page = self.stack.pop().expect("delta is below the stack's length");
            steps.push(Step::Unload(page.id));
        }
        let top = self.stack.last().expect("one page is left");
        steps.push(Step::Show(top.id));
        Ok(steps)
    }

    /// `switchTab`: the stack is emptied down to its bottom page, which stays
    /// alive if it is a tab, and the target tab is shown (created the first time).
    pub fn switch_tab(&mut self, target: &Target) -> Result<Vec<Step>, WxError> {
        self.find(target)?;
        if !self.pages.is_tab(&target.route) {
            return Err(WxError::new("can not switch to no-tabBar page"));
        }
        let mut steps = Vec::new();
        let popped = self.pop_to_bottom(&mut steps);
        if let Some(bottom) = self.stack.pop() {
            if bottom.route == target.route {
                if popped {
                    steps.push(Step::Show(bottom.id));
                }
                self.stack.push(bottom);
                return Ok(steps);
            }
            if self.pages.is_tab(&bottom.route) {
                if !popped {
                    steps.push(Step::Hide(bottom.id));
                }
                self.kept_tabs.push(bottom);
            } else {
                steps.push(Step::Unload(bottom.id));
            }
        }
        match self.kept_tabs.iter().position(|p| p.route == target.route) {
            Some(at) => {
                let page = self.kept_tabs.remove(at);
                steps.push(Step::Show(page.id));
                self.stack.push(page);
            }
            None => self.open(target, &mut steps),
        }
        Ok(steps)
    }

    /// `reLaunch`: every live page is unloaded (the stack top first, then the
    /// kept tabs), then the target opens, tab page or not, with its query.
    pub fn re_launch(&mut self, target: &Target) -> Result<Vec<Step>, WxError> {
        self.launch(target)
    }

    fn unload_all(&mut self, steps: &mut Vec<Step>) {
        while let Some(page) = self.stack.pop() {
            steps.push(Step::Unload(page.id));
        }
        for page in self.kept_tabs.drain(..) {
            steps.push(Step::Unload(page.id));
        }
    }
}

/// `page "<route>[?query]" is not found`, WeChat's words.
pub fn not_found(target: &Target) -> WxError {
    WxError::new(format!("page \"{}\" is not found", target.display()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::route::url::resolve;

    fn stack() -> Stack {
        let pages = [
            "pages/home/home",
            "pages/me/me",
            "pages/list/list",
            "pages/detail/detail",
        ];
        let pages = Pages::new(
            pages.iter().map(|p| p.to_string()).collect(),
            vec!["pages/home/home".into(), "pages/me/me".into()],
            None,
        )
        .unwrap();
        Stack::new(pages)
    }

    fn go(stack: &mut Stack, op: &str, url: &str) -> Result<String, String> {
        let target = resolve(stack.base(), url).map_err(|e| e.reason().to_owned())?;
        let steps = match op {
            "launch" => stack.launch(&target),
            "to" => stack.navigate_to(&target),
            "redirect" => stack.redirect_to(&target),
            "tab" => stack.switch_tab(&target),
            "relaunch" => stack.re_launch(&target),
            "back" => stack.navigate_back(url.parse().unwrap()),
            _ => unreachable!(),
        }
        .map_err(|e| e.reason().to_owned())?;
        Ok(steps
            .iter()
            .map(|s| match s {
                Step::Load { page, .. } => format!("load{}", page.0),
                Step::Show(p) => format!("show{}", p.0),
                Step::Ready(p) => format!("ready{}", p.0),
                Step::Hide(p) => format!("hide{}", p.0),
                Step::Unload(p) => format!("unload{}", p.0),
            })
            .collect::<Vec<_>>()
            .join(" "))
    }

    #[test]
    fn each_route_type_calls_lifecycles_in_wechat_order() {
        let mut s = stack();
        assert_eq!(
            go(&mut s, "launch", "/pages/home/home").unwrap(),
            "load1 show1 ready1"
        );
        assert_eq!(
            go(&mut s, "to", "/pages/list/list").unwrap(),
            "hide1 load2 show2 ready2"
        );
        assert_eq!(
            go(&mut s, "to", "../detail/detail").unwrap(),
            "hide2 load3 show3 ready3"
        );
        assert_eq!(
            go(&mut s, "redirect", "/pages/list/list").unwrap(),
            "unload3 load4 show4 ready4"
        );
        assert_eq!(go(&mut s, "back", "5").unwrap(), "unload4 unload2 show1");
        assert_eq!(
            go(&mut s, "back", "1").unwrap_err(),
            "cannot navigate back at first page."
        );
        // switchTab with nothing popped hides the tab it leaves, and keeps it.
        assert_eq!(
            go(&mut s, "tab", "/pages/me/me").unwrap(),
            "hide1 load5 show5 ready5"
        );
        assert_eq!(
            go(&mut s, "to", "/pages/list/list").unwrap(),
            "hide5 load6 show6 ready6"
        );
        // Pages popped: the kept tab is shown again, not created.
        assert_eq!(
            go(&mut s, "tab", "/pages/home/home").unwrap(),
            "unload6 show1"
        );
        // The same tab with a one-page stack: nothing at all.
        assert_eq!(go(&mut s, "tab", "/pages/home/home").unwrap(), "");
        assert_eq!(
            go(&mut s, "to", "/pages/list/list").unwrap(),
            "hide1 load7 show7 ready7"
        );
        assert_eq!(
            go(&mut s, "tab", "/pages/home/home").unwrap(),
            "unload7 show1"
        );
        // reLaunch: the stack top first, then the kept tabs.
        assert_eq!(
            go(&mut s, "to", "/pages/list/list").unwrap(),
            "hide1 load8 show8 ready8"
        );
        assert_eq!(
            go(&mut s, "relaunch", "/pages/detail/detail?id=1").unwrap(),
            "unload8 unload1 unload5 load9 show9 ready9"
        );
        // A bottom page that is not a tab is unloaded by switchTab.
        assert_eq!(
            go(&mut s, "tab", "/pages/me/me").unwrap(),
            "unload9 load10 show10 ready10"
        );
    }

    #[test]
    fn wechat_refusals() {
        let mut s = stack();
        go(&mut s, "launch", "/pages/home/home").unwrap();
        assert_eq!(
            go(&mut s, "to", "/pages/me/me").unwrap_err(),
            "can not navigateTo a tabbar page"
        );
        assert_eq!(
            go(&mut s, "redirect", "/pages/me/me").unwrap_err(),
            "can not redirectTo a tabbar page"
        );
        assert_eq!(
            go(&mut s, "tab", "/pages/list/list").unwrap_err(),
            "can not switch to no-tabBar page"
        );
        assert_eq!(
            go(&mut s, "to", "/nope?a=b c").unwrap_err(),
            "page \"nope?a=b%20c\" is not found"
        );
        assert_eq!(
            go(&mut s, "to", "list").unwrap_err(),
            "page \"pages/home/list\" is not found"
        );
        for _ in 1..MAX_PAGES {
            go(&mut s, "to", "/pages/list/list").unwrap();
        }
        assert_eq!(s.current().len(), MAX_PAGES);
        assert_eq!(
            go(&mut s, "to", "/pages/list/list").unwrap_err(),
            "webview count limit exceed"
        );
    }

    #[test]
    fn package_config_errors_name_the_field() {
        let err = Pages::new(vec!["a".into()], vec!["b".into()], None).unwrap_err();
        assert_eq!(err, "tabBar.list pagePath \"b\" is not listed in \"pages\"");
        let err = Pages::new(vec!["a".into()], vec![], Some("c".into())).unwrap_err();
        assert_eq!(err, "entryPagePath \"c\" is not listed in \"pages\"");
        assert!(Pages::new(vec![], vec![], None).is_err());
    }
}
