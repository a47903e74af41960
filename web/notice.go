package web

import (
	"context"
	"net/http"

	"decisionflow/procedure"
	"decisionflow/store"

	"github.com/labstack/echo/v4"
)

// DeliveryLog reads the notices' deliveries.
type DeliveryLog interface {
	// Deliveries lists the latest deliveries of a channel (all when empty), newest first.
	Deliveries(ctx context.Context, channel string, limit int) ([]store.Delivery, error)
}

// noticeRoutes mount the delivery log (administrators and auditors: every e-mail and webhook
// delivery with its attempts and last error) and, under dev, the mail catcher /dev/mail.
func (w *Web) noticeRoutes(pages, signed *echo.Group) {
	if w.deliveries == nil {
		return
	}
	signed.GET("/notices", w.deliveryLog)
	if w.devMail {
		pages.GET("/dev/mail", w.devMailPage)
	}
}

func (w *Web) deliveryLog(c echo.Context) error {
	me := w.actor(c)
	if !me.Has(procedure.RoleAdmin) && !me.Has(procedure.RoleAuditor) {
		return echo.NewHTTPError(http.StatusForbidden, "仅系统管理员和审计监督人员可查看通知投递记录 / only administrators and auditors see the delivery log")
	}
	channel := c.QueryParam("channel")
	if channel != "" && channel != store.ChannelMail && channel != store.ChannelWebhook {
		channel = ""
	}
	list, err := w.deliveries.Deliveries(c.Request().Context(), channel, 200)
	if err != nil {
		return err
	}
	return w.render(c, http.StatusOK, deliveryPage(w.page(c, T("通知投递记录", "Notice deliveries")), list, false))
}

// devMailPage shows the mail a development server kept instead of sending it.
func (w *Web) devMailPage(c echo.Context) error {
	list, err := w.deliveries.Deliveries(c.Request().Context(), store.ChannelMail, 200)
	if err != nil {
		return err
	}
	return w.render(c, http.StatusOK, deliveryPage(w.page(c, T("开发邮箱（邮件未实际发送）", "Development mailbox (mail not sent)")), list, true))
}
