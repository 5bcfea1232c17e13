// Package demo seeds a small jurisdiction — one county of Ningbo with two townships, their communities,
// grids and the county court — with the bodies seated on it (the county centre, petition office,
// government and bureaus, professional committees, arbitration, notary, police, the township office
// and committee, the city's government and petition office), and one demo user per role, so that
// `fengqiao dev` shows a working system on first start. Seeding is idempotent: what exists is left as
// it is.
package demo

import (
	"context"
	"fmt"

	"fengqiao"
	"fengqiao/policy"
	"fengqiao/store"

	"golang.org/x/crypto/bcrypt"
)

// Password is every demo user's password. Demo data is for trying Fengqiao out, never for production.
const Password = "fengqiao-demo"

// Login is one demo account as the start-up banner prints it.
type Login struct {
	Username string
	Role     fengqiao.Role
	Node     string
	NodeName string
}

// Nodes is the demo jurisdiction, parents before children.
var Nodes = []fengqiao.Node{
	{Code: "330200", Name: "宁波市", Tier: fengqiao.TierCity},
	{Code: "330203", Name: "海曙区", Tier: fengqiao.TierCounty, ParentCode: "330200"},
	{Code: "330203-FY", Name: "海曙区人民法院", Tier: fengqiao.TierCourt, ParentCode: "330203"},
	{Code: "330203001", Name: "鼓楼街道", Tier: fengqiao.TierTownship, ParentCode: "330203"},
	{Code: "330203001001", Name: "孝闻社区", Tier: fengqiao.TierVillage, ParentCode: "330203001"},
	{Code: "330203001002", Name: "秀水社区", Tier: fengqiao.TierVillage, ParentCode: "330203001"},
	{Code: "330203001001-01", Name: "孝闻社区第一网格", Tier: fengqiao.TierGrid, ParentCode: "330203001001"},
	{Code: "330203001001-02", Name: "孝闻社区第二网格", Tier: fengqiao.TierGrid, ParentCode: "330203001001"},
	{Code: "330203001002-01", Name: "秀水社区第一网格", Tier: fengqiao.TierGrid, ParentCode: "330203001002"},
	{Code: "330203002", Name: "南门街道", Tier: fengqiao.TierTownship, ParentCode: "330203"},
	{Code: "330203002001", Name: "尹江岸社区", Tier: fengqiao.TierVillage, ParentCode: "330203002"},
	{Code: "330203002002", Name: "新芝社区", Tier: fengqiao.TierVillage, ParentCode: "330203002"},
	{Code: "330203002001-01", Name: "尹江岸社区第一网格", Tier: fengqiao.TierGrid, ParentCode: "330203002001"},
}

// Bodies are the demo bodies (机构), superiors before the agencies naming them. The court node keeps its
// code as the court body.
var Bodies = []fengqiao.Body{
	{Code: "330200-ZF", Name: "宁波市人民政府", Type: fengqiao.BodyAgency, Node: "330200"},
	{Code: "330200-XFJ", Name: "宁波市信访局", Type: fengqiao.BodyPetitionOffice, Node: "330200"},
	{Code: "330203-TJZX", Name: "海曙区社会矛盾纠纷调处化解中心", Type: fengqiao.BodyCenter, Node: "330203"},
	{Code: "330203-XFJ", Name: "海曙区信访局", Type: fengqiao.BodyPetitionOffice, Node: "330203"},
	{Code: "330203-ZF", Name: "海曙区人民政府", Type: fengqiao.BodyAgency, Node: "330203", Superior: "330200-ZF"},
	{Code: "330203-RSJ", Name: "海曙区人力资源和社会保障局", Type: fengqiao.BodyAgency, Node: "330203",
		Fields: []string{"labour", "wage_arrears"}, Superior: "330203-ZF"},
	{Code: "330203-ZJJ", Name: "海曙区住房和城乡建设局", Type: fengqiao.BodyAgency, Node: "330203",
		Fields: []string{"construction", "property_management", "demolition"}, Superior: "330203-ZF"},
	{Code: "330203-YTW", Name: "海曙区医疗纠纷人民调解委员会", Type: fengqiao.BodyProfessional, Node: "330203", Fields: []string{"medical"}},
	{Code: "330203-JTW", Name: "海曙区道路交通事故人民调解委员会", Type: fengqiao.BodyProfessional, Node: "330203", Fields: []string{"traffic"}},
	{Code: "330203-ZCY", Name: "海曙区劳动人事争议仲裁院", Type: fengqiao.BodyArbitration, Node: "330203", Fields: []string{"labour", "wage_arrears"}},
	{Code: "330203-GZC", Name: "宁波市海曙公证处", Type: fengqiao.BodyNotary, Node: "330203"},
	{Code: "330203-FY", Name: "海曙区人民法院", Type: fengqiao.BodyCourt, Node: "330203"},
	{Code: "330203001-PCS", Name: "宁波市公安局海曙分局鼓楼派出所", Type: fengqiao.BodyPolice, Node: "330203001"},
	{Code: "330203001-JDB", Name: "鼓楼街道办事处", Type: fengqiao.BodyAgency, Node: "330203001", Superior: "330203-ZF"},
	{Code: "330203001-TWH", Name: "鼓楼街道人民调解委员会", Type: fengqiao.BodyCommittee, Node: "330203001"},
}

type demoUser struct {
	username, name string
	role           fengqiao.Role
	node           string
}

var users = []demoUser{
	{"clerk", "陈受理（区矛调中心）", fengqiao.RoleClerk, "330203"},
	{"grid", "王网格（孝闻一网格）", fengqiao.RoleGridWorker, "330203001001-01"},
	{"med-village", "李调解（孝闻社区）", fengqiao.RoleMediator, "330203001001"},
	{"med-town", "张调解（鼓楼街道）", fengqiao.RoleMediator, "330203001"},
	{"med-county", "赵调解（海曙区）", fengqiao.RoleMediator, "330203"},
	{"sup-town", "周督办（鼓楼街道）", fengqiao.RoleSupervisor, "330203001"},
	{"sup-county", "吴督办（海曙区）", fengqiao.RoleSupervisor, "330203"},
	{"court", "郑法官（海曙法院）", fengqiao.RoleCourtOfficer, "330203-FY"},
	{"auditor", "孙审计（海曙区）", fengqiao.RoleAuditor, "330203"},
	{"handler-rsj", "刘承办（区人社局）", fengqiao.RoleHandler, "330203-RSJ"},
	{"handler-jd", "何承办（鼓楼街道办）", fengqiao.RoleHandler, "330203001-JDB"},
	{"clerk-xfj", "林受理（区信访局）", fengqiao.RoleClerk, "330203-XFJ"},
	{"med-ytw", "黄调解（区医调委）", fengqiao.RoleMediator, "330203-YTW"},
	// the bureaus' mediators, who take part in a joint mediation at the county centre (联合调解) when
	// the centre adds their bureau as a co-body and names them
	{"rsj-med", "钱专员（区人社局）", fengqiao.RoleMediator, "330203-RSJ"},
	{"zjj-med", "孙专员（区住建局）", fengqiao.RoleMediator, "330203-ZJJ"},
}

// Seed creates the demo jurisdiction and users where missing and returns the demo logins.
func Seed(ctx context.Context, db *store.DB, pol *policy.Authorizer) ([]Login, error) {
	names := map[string]string{}
	for _, n := range Nodes {
		names[n.Code] = n.Name
		if _, err := db.Node(ctx, n.Code); err == nil {
			continue
		}
		created, err := db.CreateNode(ctx, n)
		if err != nil {
			return nil, fmt.Errorf("node %s: %w", n.Code, err)
		}
		if err := pol.NodeAdded(ctx, created); err != nil {
			return nil, err
		}
	}
	for _, b := range Bodies {
		names[b.Code] = b.Name
		if _, err := db.Body(ctx, b.Code); err == nil {
			continue
		}
		created, err := db.CreateBody(ctx, b)
		if err != nil {
			return nil, fmt.Errorf("body %s: %w", b.Code, err)
		}
		if err := pol.BodyAdded(ctx, created); err != nil {
			return nil, err
		}
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(Password), bcrypt.MinCost)
	if err != nil {
		return nil, err
	}
	logins := make([]Login, 0, len(users))
	for _, u := range users {
		// A user that exists is left alone: an administrator may have changed its grants on purpose.
		if _, err := db.User(ctx, u.username); err != nil {
			if _, err := db.CreateUser(ctx, store.UserRow{Username: u.username, PasswordHash: string(hash), DisplayName: u.name}); err != nil {
				return nil, fmt.Errorf("user %s: %w", u.username, err)
			}
			if err := pol.Grant(ctx, u.username, u.role, u.node); err != nil {
				return nil, fmt.Errorf("grant %s: %w", u.username, err)
			}
		}
		logins = append(logins, Login{Username: u.username, Role: u.role, Node: u.node, NodeName: names[u.node]})
	}
	return logins, nil
}
