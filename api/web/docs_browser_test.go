package web_test

import (
	"bytes"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"fengqiao/demo"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// pdfPages counts the pages of a PDF by its page objects.
func pdfPages(pdf []byte) int {
	return len(regexp.MustCompile(`/Type\s*/Page[^s]`).FindAll(pdf, -1))
}

// pdfText is the text of each page of a PDF (pdftotext), or nil when pdftotext is not installed.
func pdfText(t *testing.T, pdf []byte, pages int) []string {
	t.Helper()
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		return nil
	}
	f := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(f, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	var out []string
	for i := 1; i <= pages; i++ {
		n := strconv.Itoa(i)
		b, err := exec.Command(bin, "-layout", "-enc", "UTF-8", "-f", n, "-l", n, f, "-").Output()
		if err != nil {
			t.Fatalf("pdftotext: %v", err)
		}
		out = append(out, string(b))
	}
	return out
}

// TestBrowserPrintsTheAgreementToPDFWithSignaturesOnTheLastPage prints the 人民调解协议书 of a case in
// headless Chromium as the assigned mediator (print media, the page's own A4 size) and reads the PDF:
// one or two pages, the title on the first, the closing clause, the mediator's name and the parties'
// signature lines together on the last, the full ID number printed. The PDF is left in test-output.
func TestBrowserPrintsTheAgreementToPDFWithSignaturesOnTheLastPage(t *testing.T) {
	ctx := headless(t)
	e := newEnv(t)
	clerk := e.browser(t)
	clerk.login("clerk", demo.Password)
	clerk.get("/cases/new")
	id := caseIDOf(t, clerk.post("/cases/new", legalIntake("楼上漏水，物业拒修")).want(http.StatusOK).body)
	sup := e.browser(t)
	sup.login("sup-town", demo.Password)
	sup.get("/cases/" + id)
	sup.post("/cases/"+id+"/act/assign", url.Values{"mediator": {"med-village"}}).want(http.StatusOK)
	med := e.browser(t)
	med.login("med-village", demo.Password)
	med.get("/cases/" + id)
	med.post("/cases/"+id+"/act/accept", url.Values{}).want(http.StatusOK)
	terms := "一、宁波某物业服务有限公司于2026年12月10日前修复张三家卫生间上方的防水层，费用由其承担；\n" +
		"二、宁波某物业服务有限公司赔偿张三房屋及家具损失人民币捌佰元整，于2026年12月15日前一次性支付；\n" +
		"三、修复完成后由社区组织双方共同验收；\n四、双方就此事再无其他争议。"
	med.post("/cases/"+id+"/act/agreement", url.Values{"terms": {terms}, "form": {"written"}, "signed_by_all": {"true"}}).
		want(http.StatusOK)

	u := &ui{t: t, ctx: ctx, e: e}
	u.login("med-village", demo.Password)
	u.open("/cases/" + id + "/documents/agreement")
	if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}); err != nil {
		t.Fatal(err)
	}
	u.shot("17-agreement-print")
	pdf, err := chromedp.Run(ctx, chromedp.PrintToPDF(chromedp.PDFPreferCSSPageSize()))
	if err != nil || !bytes.HasPrefix(pdf, []byte("%PDF")) {
		t.Fatalf("print to PDF: %v (%d bytes)", err, len(pdf))
	}
	if err := os.MkdirAll(screenshotDir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(screenshotDir, "17-agreement.pdf"), pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{}); err != nil {
		t.Fatal(err)
	}
	n := pdfPages(pdf)
	if n < 1 || n > 2 {
		t.Fatalf("the agreement prints on %d pages, want 1 or 2", n)
	}
	pages := pdfText(t, pdf, n)
	if pages == nil {
		t.Logf("pdftotext not installed: checked the page count (%d) only", n)
		return
	}
	squeeze := func(s string) string { return strings.Join(strings.Fields(s), "") }
	first, last := squeeze(pages[0]), squeeze(pages[n-1])
	if !strings.Contains(first, "人民调解协议书") || !strings.Contains(squeeze(strings.Join(pages, "")), applicantID) {
		t.Errorf("first page:\n%s", pages[0])
	}
	for _, want := range []string{"本协议自各方当事人签名", "人民调解员：李调解", "张三（签名或者按指印）", "宁波某物业服务有限公司（盖章，法定代表人签名）", "（印章）"} {
		if !strings.Contains(last, want) {
			t.Errorf("the last page (%d of %d) lacks %q: the closing clause and the signatures are split:\n%s", n, n, want, pages[n-1])
		}
	}
}
