var Re,N,$n,ne,en,kn,Cn,Te,_e,me,Sn,Ve,Oe,qe,An,ke={},Ce=[],jn=/acit|ex(?:s|g|n|p|$)|rph|grid|ows|mnc|ntw|ine[ch]|zoo|^ord|itera/i,Ie=Array.isArray;function Z(n,t){for(var r in t)n[r]=t[r];return n}function He(n){n&&n.parentNode&&n.parentNode.removeChild(n)}function zn(n,t,r){var s,a,o,c={};for(o in t)o=="key"?s=t[o]:o=="ref"?a=t[o]:c[o]=t[o];if(arguments.length>2&&(c.children=arguments.length>3?Re.call(arguments,2):r),typeof n=="function"&&n.defaultProps!=null)for(o in n.defaultProps)c[o]===void 0&&(c[o]=n.defaultProps[o]);return be(n,c,s,a,null)}function be(n,t,r,s,a){var o={type:n,props:t,key:r,ref:s,__k:null,__:null,__b:0,__e:null,__c:null,constructor:void 0,__v:a??++$n,__i:-1,__u:0};return a==null&&N.vnode!=null&&N.vnode(o),o}function j(n){return n.children}function we(n,t){this.props=n,this.context=t}function ie(n,t){if(t==null)return n.__?ie(n.__,n.__i+1):null;for(var r;t<n.__k.length;t++)if((r=n.__k[t])!=null&&r.__e!=null)return r.__e;return typeof n.type=="function"?ie(n):null}function Qn(n){if(n.__P&&n.__d){var t=n.__v,r=t.__e,s=[],a=[],o=Z({},t);o.__v=t.__v+1,N.vnode&&N.vnode(o),Ke(n.__P,o,t,n.__n,n.__P.namespaceURI,32&t.__u?[r]:null,s,r??ie(t),!!(32&t.__u),a),o.__v=t.__v,o.__.__k[o.__i]=o,Pn(s,o,a),t.__e=t.__=null,o.__e!=r&&xn(o)}}function xn(n){if((n=n.__)!=null&&n.__c!=null)return n.__e=n.__c.base=null,n.__k.some(function(t){if(t!=null&&t.__e!=null)return n.__e=n.__c.base=t.__e}),xn(n)}function Ue(n){(!n.__d&&(n.__d=!0)&&ne.push(n)&&!Se.__r++||en!=N.debounceRendering)&&((en=N.debounceRendering)||kn)(Se)}function Se(){try{for(var n,t=1;ne.length;)ne.length>t&&ne.sort(Cn),n=ne.shift(),t=ne.length,Qn(n)}finally{ne.length=Se.__r=0}}function Rn(n,t,r,s,a,o,c,m,u,l,y){var h,i,f,d,_,$,x=s&&s.__k||Ce,b=t.length;for(u=Yn(r,t,x,u,b),h=0;h<b;h++)(f=r.__k[h])!=null&&(i=f.__i!=-1&&x[f.__i]||ke,f.__i=h,$=Ke(n,f,i,a,o,c,m,u,l,y),d=f.__e,f.ref&&i.ref!=f.ref&&(i.ref&&We(i.ref,null,f),y.push(f.ref,f.__c||d,f)),_==null&&d!=null&&(_=d),4&f.__u?(u=In(f,u,n),i.__e&&(i.__e=null)):typeof f.type=="function"&&$!==void 0?u=$:d&&(u=d.nextSibling),f.__u&=-7);return r.__e=_,u}function Yn(n,t,r,s,a){var o,c,m,u,l,y=r.length,h=y,i=0;for(n.__k=new Array(a),o=0;o<a;o++)(c=t[o])!=null&&typeof c!="boolean"&&typeof c!="function"?(typeof c=="string"||typeof c=="number"||typeof c=="bigint"||c.constructor==String?c=n.__k[o]=be(null,c,null,null,null):Ie(c)?c=n.__k[o]=be(j,{children:c},null,null,null):c.constructor===void 0&&c.__b>0?c=n.__k[o]=be(c.type,c.props,c.key,c.ref?c.ref:null,c.__v):n.__k[o]=c,u=o+i,c.__=n,c.__b=n.__b+1,m=null,(l=c.__i=Gn(c,r,u,h))!=-1&&(h--,(m=r[l])&&(m.__u|=2)),m==null||m.__v==null?(l==-1&&(a>y?i--:a<y&&i++),typeof c.type!="function"&&(c.__u|=4)):l!=u&&(l==u-1?i--:l==u+1?i++:(l>u?i--:i++,c.__u|=4))):n.__k[o]=null;if(h)for(o=0;o<y;o++)(m=r[o])!=null&&(2&m.__u)==0&&(m.__e==s&&(s=ie(m)),Mn(m,m));return s}function In(n,t,r){var s,a;if(typeof n.type=="function"){for(s=n.__k,a=0;s&&a<s.length;a++)s[a]&&(s[a].__=n,t=In(s[a],t,r));return t}n.__e!=t&&(t&&n.type&&!t.parentNode&&(t=ie(n)),t=r.insertBefore(n.__e,t||null));do t=t&&t.nextSibling;while(t!=null&&t.nodeType==8);return t}function Gn(n,t,r,s){var a,o,c,m=n.key,u=n.type,l=t[r],y=l!=null&&(2&l.__u)==0;if(l===null&&m==null||y&&m==l.key&&u==l.type)return r;if(s>(y?1:0)){for(a=r-1,o=r+1;a>=0||o<t.length;)if((l=t[c=a>=0?a--:o++])!=null&&(2&l.__u)==0&&m==l.key&&u==l.type)return c}return-1}function nn(n,t,r){t[0]=="-"?n.setProperty(t,r??""):n[t]=r==null?"":typeof r!="number"||jn.test(t)?r:r+"px"}function ge(n,t,r,s,a){var o,c;e:if(t=="style")if(typeof r=="string")n.style.cssText=r;else{if(typeof s=="string"&&(n.style.cssText=s=""),s)for(t in s)r&&t in r||nn(n.style,t,"");if(r)for(t in r)s&&r[t]==s[t]||nn(n.style,t,r[t])}else if(t[0]=="o"&&t[1]=="n")o=t!=(t=t.replace(Sn,"$1")),c=t.toLowerCase(),t=c in n||t=="onFocusOut"||t=="onFocusIn"?c.slice(2):t.slice(2),n.l||(n.l={}),n.l[t+o]=r,r?s?r[me]=s[me]:(r[me]=Ve,n.addEventListener(t,o?qe:Oe,o)):n.removeEventListener(t,o?qe:Oe,o);else{if(a=="http://www.w3.org/2000/svg")t=t.replace(/xlink(H|:h)/,"h").replace(/sName$/,"s");else if(t!="width"&&t!="height"&&t!="href"&&t!="list"&&t!="form"&&t!="tabIndex"&&t!="download"&&t!="rowSpan"&&t!="colSpan"&&t!="role"&&t!="popover"&&t in n)try{n[t]=r??"";break e}catch{}typeof r=="function"||(r==null||r===!1&&t[4]!="-"?n.removeAttribute(t):n.setAttribute(t,t=="popover"&&r==1?"":r))}}function tn(n){return function(t){if(this.l){var r=this.l[t.type+n];if(t[_e]==null)t[_e]=Ve++;else if(t[_e]<r[me])return;return r(N.event?N.event(t):t)}}}function Ke(n,t,r,s,a,o,c,m,u,l){var y,h,i,f,d,_,$,x,b,p,v,k,g,S,U,z,V=t.type;if(t.constructor!==void 0)return null;128&r.__u&&(u=!!(32&r.__u),o=[m=t.__e=r.__e]),(y=N.__b)&&y(t);e:if(typeof V=="function"){h=c.length;try{if(b=t.props,p=V.prototype&&V.prototype.render,v=(y=V.contextType)&&s[y.__c],k=y?v?v.props.value:y.__:s,r.__c?x=(i=t.__c=r.__c).__=i.__E:(p?t.__c=i=new V(b,k):(t.__c=i=new we(b,k),i.constructor=V,i.render=Xn),v&&v.sub(i),i.state||(i.state={}),i.__n=s,f=i.__d=!0,i.__h=[],i._sb=[]),p&&i.__s==null&&(i.__s=i.state),p&&V.getDerivedStateFromProps!=null&&(i.__s==i.state&&(i.__s=Z({},i.__s)),Z(i.__s,V.getDerivedStateFromProps(b,i.__s))),d=i.props,_=i.state,i.__v=t,f)p&&V.getDerivedStateFromProps==null&&i.componentWillMount!=null&&i.componentWillMount(),p&&i.componentDidMount!=null&&i.__h.push(i.componentDidMount);else{if(p&&V.getDerivedStateFromProps==null&&b!==d&&i.componentWillReceiveProps!=null&&i.componentWillReceiveProps(b,k),t.__v==r.__v||!i.__e&&i.shouldComponentUpdate!=null&&i.shouldComponentUpdate(b,i.__s,k)===!1){t.__v!=r.__v&&(i.props=b,i.state=i.__s,i.__d=!1),t.__e=r.__e,t.__k=r.__k,t.__k.some(function(C){C&&(C.__=t)}),Ce.push.apply(i.__h,i._sb),i._sb=[],i.__h.length&&c.push(i),m=ie(r);break e}i.componentWillUpdate!=null&&i.componentWillUpdate(b,i.__s,k),p&&i.componentDidUpdate!=null&&i.__h.push(function(){i.componentDidUpdate(d,_,$)})}if(i.context=k,i.props=b,i.__P=n,i.__e=!1,g=N.__r,S=0,p)i.state=i.__s,i.__d=!1,g&&g(t),y=i.render(i.props,i.state,i.context),Ce.push.apply(i.__h,i._sb),i._sb=[];else do i.__d=!1,g&&g(t),y=i.render(i.props,i.state,i.context),i.state=i.__s;while(i.__d&&++S<25);i.state=i.__s,i.getChildContext!=null&&(s=Z(Z({},s),i.getChildContext())),p&&!f&&i.getSnapshotBeforeUpdate!=null&&($=i.getSnapshotBeforeUpdate(d,_)),U=y!=null&&y.type===j&&y.key==null?Tn(y.props.children):y,m=Rn(n,Ie(U)?U:[U],t,r,s,a,o,c,m,u,l),i.base=t.__e,t.__u&=-161,i.__h.length&&c.push(i),x&&(i.__E=i.__=null)}catch(C){if(c.length=h,t.__v=null,u||o!=null){if(C.then){for(t.__u|=u?160:128;m&&m.nodeType==8&&m.nextSibling;)m=m.nextSibling;o!=null&&(o[o.indexOf(m)]=null),t.__e=m}else if(o!=null)for(z=o.length;z--;)He(o[z])}else t.__e=r.__e;t.__k==null&&(t.__k=r.__k||[]),C.then||Dn(t),N.__e(C,t,r)}}else o==null&&t.__v==r.__v?(t.__k=r.__k,t.__e=r.__e):m=t.__e=Jn(r.__e,t,r,s,a,o,c,u,l);return(y=N.diffed)&&y(t),128&t.__u?void 0:m}function Dn(n){n&&(n.__c&&(n.__c.__e=!0),n.__k&&n.__k.some(Dn))}function Pn(n,t,r){for(var s=0;s<r.length;s++)We(r[s],r[++s],r[++s]);N.__c&&N.__c(t,n),n.some(function(a){try{n=a.__h,a.__h=[],n.some(function(o){o.call(a)})}catch(o){N.__e(o,a.__v)}})}function Tn(n){return typeof n!="object"||n==null||n.__b>0?n:Ie(n)?n.map(Tn):n.constructor!==void 0?null:Z({},n)}function Jn(n,t,r,s,a,o,c,m,u){var l,y,h,i,f,d,_,$=r.props||ke,x=t.props,b=t.type;if(b=="svg"?a="http://www.w3.org/2000/svg":b=="math"?a="http://www.w3.org/1998/Math/MathML":a||(a="http://www.w3.org/1999/xhtml"),o!=null){for(l=0;l<o.length;l++)if((f=o[l])&&"setAttribute"in f==!!b&&(b?f.localName==b:f.nodeType==3)){n=f,o[l]=null;break}}if(n==null){if(b==null)return document.createTextNode(x);n=document.createElementNS(a,b,x.is&&x),m&&(N.__m&&N.__m(t,o),m=!1),o=null}if(b==null)$===x||m&&n.data==x||(n.data=x);else{if(o=b=="textarea"&&x.defaultValue!=null?null:o&&Re.call(n.childNodes),!m&&o!=null)for($={},l=0;l<n.attributes.length;l++)$[(f=n.attributes[l]).name]=f.value;for(l in $)f=$[l],l=="dangerouslySetInnerHTML"?h=f:l=="children"||l in x||l=="value"&&"defaultValue"in x||l=="checked"&&"defaultChecked"in x||ge(n,l,null,f,a);for(l in x)f=x[l],l=="children"?i=f:l=="dangerouslySetInnerHTML"?y=f:l=="value"?d=f:l=="checked"?_=f:m&&typeof f!="function"||$[l]===f||ge(n,l,f,$[l],a);if(y)m||h&&(y.__html==h.__html||y.__html==n.innerHTML)||(n.innerHTML=y.__html),t.__k=[];else if(h&&(n.innerHTML=""),Rn(t.type=="template"?n.content:n,Ie(i)?i:[i],t,r,s,b=="foreignObject"?"http://www.w3.org/1999/xhtml":a,o,c,o?o[0]:r.__k&&ie(r,0),m,u),o!=null)for(l=o.length;l--;)He(o[l]);m&&b!="textarea"||(l="value",b=="progress"&&d==null?n.removeAttribute("value"):d!=null&&(d!==n[l]||b=="progress"&&!d||b=="option"&&d!=$[l])&&ge(n,l,d,$[l],a),l="checked",_!=null&&_!=n[l]&&ge(n,l,_,$[l],a))}return n}function We(n,t,r){try{if(typeof n=="function"){var s=typeof n.__u=="function";s&&n.__u(),s&&t==null||(n.__u=n(t))}else n.current=t}catch(a){N.__e(a,r)}}function Mn(n,t,r){var s,a;if(N.unmount&&N.unmount(n),(s=n.ref)&&(s.current&&s.current!=n.__e||We(s,null,t)),(s=n.__c)!=null){if(s.componentWillUnmount)try{s.componentWillUnmount()}catch(o){N.__e(o,t)}s.base=s.__P=s.__n=null}if(s=n.__k)for(a=0;a<s.length;a++)s[a]&&Mn(s[a],t,r||typeof n.type!="function");r||He(n.__e),n.__c=n.__=n.__e=void 0}function Xn(n,t,r){return this.constructor(n,r)}function Zn(n,t,r){var s,a,o,c;t==document&&(t=document.documentElement),N.__&&N.__(n,t),a=(s=!1)?null:t.__k,o=[],c=[],Ke(t,n=t.__k=zn(j,null,[n]),a||ke,ke,t.namespaceURI,a?null:t.firstChild?Re.call(t.childNodes):null,o,a?a.__e:t.firstChild,s,c),Pn(o,n,c),n.props.children=null}function et(n){function t(r){var s,a;return this.getChildContext||(s=new Set,(a={})[t.__c]=this,this.getChildContext=function(){return a},this.componentWillUnmount=function(){s=null},this.shouldComponentUpdate=function(o){this.props.value!=o.value&&s.forEach(function(c){c.__e=!0,Ue(c)})},this.sub=function(o){s.add(o);var c=o.componentWillUnmount;o.componentWillUnmount=function(){s&&s.delete(o),c&&c.call(o)}}),r.children}return t.__c="__cC"+An++,t.__=n,t.Provider=t.__l=(t.Consumer=function(r,s){return r.children(s)}).contextType=t,t}Re=Ce.slice,N={__e:function(n,t,r,s){for(var a,o,c;t=t.__;)if((a=t.__c)&&!a.__)try{if((o=a.constructor)&&o.getDerivedStateFromError!=null&&(a.setState(o.getDerivedStateFromError(n)),c=a.__d),a.componentDidCatch!=null&&(a.componentDidCatch(n,s||{}),c=a.__d),c)return a.__E=a}catch(m){n=m}throw n}},$n=0,we.prototype.setState=function(n,t){var r;r=this.__s!=null&&this.__s!=this.state?this.__s:this.__s=Z({},this.state),typeof n=="function"&&(n=n(Z({},r),this.props)),n&&Z(r,n),n!=null&&this.__v&&(t&&this._sb.push(t),Ue(this))},we.prototype.forceUpdate=function(n){this.__v&&(this.__e=!0,n&&this.__h.push(n),Ue(this))},we.prototype.render=j,ne=[],kn=typeof Promise=="function"?Promise.prototype.then.bind(Promise.resolve()):setTimeout,Cn=function(n,t){return n.__v.__b-t.__v.__b},Se.__r=0,Te=Math.random().toString(8),_e="__d"+Te,me="__a"+Te,Sn=/(PointerCapture)$|Capture$/i,Ve=0,Oe=tn(!1),qe=tn(!0),An=0;var nt=0;function e(n,t,r,s,a,o){t||(t={});var c,m,u=t;if("ref"in u)for(m in u={},t)m=="ref"?c=t[m]:u[m]=t[m];var l={type:n,props:u,key:r,ref:c,__k:null,__:null,__b:0,__e:null,__c:null,constructor:void 0,__v:--nt,__i:-1,__u:0,__source:a,__self:o};if(typeof n=="function"&&(c=n.defaultProps))for(m in c)u[m]===void 0&&(u[m]=c[m]);return N.vnode&&N.vnode(l),l}var le,q,Me,rn,pe=0,Nn=[],L=N,sn=L.__b,an=L.__r,on=L.diffed,ln=L.__c,cn=L.unmount,dn=L.__;function De(n,t){L.__h&&L.__h(q,n,pe||t),pe=0;var r=q.__H||(q.__H={__:[],__h:[]});return n>=r.__.length&&r.__.push({}),r.__[n]}function w(n){return pe=1,tt(Un,n)}function tt(n,t,r){var s=De(le++,2);if(s.t=n,!s.__c&&(s.__=[Un(void 0,t),function(m){var u=s.__N?s.__N[0]:s.__[0],l=s.t(u,m);u!==l&&(s.__N=[l,s.__[1]],s.__c.setState({}))}],s.__c=q,!q.__f)){var a=function(m,u,l){if(!s.__c.__H)return!0;var y=!1,h=s.__c.props!==m;if(s.__c.__H.__.some(function(f){if(f.__N){y=!0;var d=f.__[0];f.__=f.__N,f.__N=void 0,d!==f.__[0]&&(h=!0)}}),o){var i=o.call(this,m,u,l);return y?i||h:i}return!y||h};q.__f=!0;var o=q.shouldComponentUpdate,c=q.componentWillUpdate;q.componentWillUpdate=function(m,u,l){if(this.__e){var y=o;o=void 0,a(m,u,l),o=y}c&&c.call(this,m,u,l)},q.shouldComponentUpdate=a}return s.__N||s.__}function G(n,t){var r=De(le++,3);!L.__s&&qn(r.__H,t)&&(r.__=n,r.u=t,q.__H.__h.push(r))}function he(n){return pe=5,On(function(){return{current:n}},[])}function On(n,t){var r=De(le++,7);return qn(r.__H,t)&&(r.__=n(),r.__H=t,r.__h=n),r.__}function rt(n,t){return pe=8,On(function(){return n},t)}function it(n){var t=q.context[n.__c],r=De(le++,9);return r.c=n,t?(r.__==null&&(r.__=!0,t.sub(q)),t.props.value):n.__}function st(){for(var n;n=Nn.shift();){var t=n.__H;if(n.__P&&t)try{t.__h.some($e),t.__h.some(Be),t.__h=[]}catch(r){t.__h=[],L.__e(r,n.__v)}}}L.__b=function(n){q=null,sn&&sn(n)},L.__=function(n,t){n&&t.__k&&t.__k.__m&&(n.__m=t.__k.__m),dn&&dn(n,t)},L.__r=function(n){an&&an(n),le=0;var t=(q=n.__c).__H;t&&(Me===q?(t.__h=[],q.__h=[],t.__.some(function(r){r.__N&&(r.__=r.__N),r.u=r.__N=void 0})):(t.__h.some($e),t.__h.some(Be),t.__h=[],le=0)),Me=q},L.diffed=function(n){on&&on(n);var t=n.__c;t&&t.__H&&(t.__H.__h.length&&(Nn.push(t)!==1&&rn===L.requestAnimationFrame||((rn=L.requestAnimationFrame)||at)(st)),t.__H.__.some(function(r){r.u&&(r.__H=r.u,r.u=void 0)})),Me=q=null},L.__c=function(n,t){t.some(function(r){try{r.__h.some($e),r.__h=r.__h.filter(function(s){return!s.__||Be(s)})}catch(s){t.some(function(a){a.__h&&(a.__h=[])}),t=[],L.__e(s,r.__v)}}),ln&&ln(n,t)},L.unmount=function(n){cn&&cn(n);var t,r=n.__c;r&&r.__H&&(r.__H.__.some(function(s){try{$e(s)}catch(a){t=a}}),r.__H=void 0,t&&L.__e(t,r.__v))};var un=typeof requestAnimationFrame=="function";function at(n){var t,r=function(){clearTimeout(s),un&&cancelAnimationFrame(t),setTimeout(n)},s=setTimeout(r,35);un&&(t=requestAnimationFrame(r))}function $e(n){var t=q,r=n.__c;typeof r=="function"&&(n.__c=void 0,r()),q=t}function Be(n){var t=q;n.__c=n.__(),q=t}function qn(n,t){return!n||n.length!==t.length||t.some(function(r,s){return r!==n[s]})}function Un(n,t){return typeof t=="function"?t(n):t}const ot={network:"The server cannot be reached. Check your connection and try again.",invalid_credentials:"That e-mail and password do not match an account.",account_locked:"Too many wrong passwords: this account is locked for a short while. Try again later.",too_many_requests:"Too many requests in a short time. Wait a moment and try again.",rate_limited:"Too many requests in a short time. Wait a moment and try again.",unauthenticated:"Your session has ended. Please sign in again.",token_expired:"Your session has expired. Please sign in again.",session_ended:"You were signed out (the session was ended). Please sign in again.",refresh_token_reused:"This session was ended for safety because it was used from two places. Please sign in again.",forbidden:"Your role does not allow this.",missing_scope:"Your role does not allow this.",not_found:"This record no longer exists, or belongs to another workspace.",precondition_failed:"Someone else changed this record a moment ago (perhaps in another tab). Your change was not saved; the page now shows the latest version.",validation_failed:"Some values are not valid.",invalid_body:"Some values are not valid.",bad_user_input:"Some values are not valid.",idempotency_key_reused:"This request was already sent with other values.",database_busy:"The server is busy. Try again in a few seconds.",database_timeout:"The server took too long to answer. Try again in a few seconds.",database_unavailable:"The database is unavailable at the moment. Try again shortly.",model_not_fitted:"The value model has not been fitted yet, so there are no predictions.",internal_error:"Something went wrong on the server. Try again; if it persists, tell an administrator.",conflict:"This conflicts with the current state of the record.",concurrent_update:"Someone else changed this record a moment ago. Reload and try again.",already_exists:"A record with the same name or key already exists.",email_taken:"A user with this e-mail already exists.",role_not_grantable:"Your role cannot give that role to someone.",last_owner:"The workspace needs at least one active owner.",insufficient_scope:"Your role does not allow this.",complaint_closed:"This complaint is closed: reopen it before resolving it.",complaint_changed:"Someone else changed this complaint a moment ago. Reload it and try again.",invalid_status_transition:"The complaint cannot go to that status from the one it is in.",compensation_over_limit:"That compensation is more than your role may grant; ask a manager.",order_fully_refunded:"The complaint’s order is already fully refunded.",voucher_not_issued:"The voucher could not be issued to this customer.",voucher_already_held:"The customer already holds an open voucher of this offer.",voucher_not_open:"This voucher is no longer open.",offer_inactive:"The offer is paused: activate it first.",offer_ended:"The offer has ended.",offer_not_started:"The offer has not started yet.",offer_budget_exhausted:"The offer’s budget is spent.",offer_redemption_cap_reached:"The offer has reached its number of redemptions.",offer_not_eligible:"This customer does not meet the offer’s conditions."};function re(n,t,r){const s=ot[n];if(n==="validation_failed"||n==="invalid_body"||n==="bad_user_input"){const a=r?` (${r})`:"";return t?`${hn(t)}${a}.`.replace(/\.\.$/,"."):`${s??""}${a}`}return s||(t?`${hn(t)}${t.endsWith(".")?"":"."}`:`The request failed (${n.replace(/_/g," ")}).`)}function hn(n){return n.charAt(0).toUpperCase()+n.slice(1)}let J=null,ve=null;const Ae=new Set;class ee extends Error{constructor(t,r,s){super(r),this.code=t,this.field=s}code;field}function lt(n){return Ae.add(n),()=>Ae.delete(n)}function ct(){return J!==null}function Bn(n){J={access:n.access_token,refresh:n.refresh_token,expiresAt:Date.now()+Math.max(0,n.expires_in-60)*1e3}}function je(){const n=J!==null;J=null,n&&Ae.forEach(t=>t(!1))}async function ze(n){let t=`http_${n.status}`,r="",s;try{const a=await n.json();t=a.code??t,r=a.detail??"",s=a.errors?.[0]?.field}catch{}return new ee(t,re(t,r,s),s)}async function Qe(n,t){try{return await fetch(n,{method:"POST",headers:{"content-type":"application/json",accept:"application/json"},body:JSON.stringify(t),credentials:"omit"})}catch{throw new ee("network",re("network","",void 0))}}async function dt(n,t){const r=await Qe("/v1/auth/token",{email:n,password:t});if(!r.ok)throw await ze(r);Bn(await r.json()),Ae.forEach(s=>s(!0))}async function mn(){if(!J)throw new ee("unauthenticated",re("unauthenticated","",void 0));if(!ve){const n=J.refresh;ve=(async()=>{const t=await Qe("/v1/auth/refresh",{refresh_token:n});if(!t.ok){const r=await ze(t);throw je(),r}Bn(await t.json())})().finally(()=>{ve=null})}return ve}async function Ln(){const n=J;je(),n&&await Qe("/v1/auth/logout",{refresh_token:n.refresh}).catch(()=>{})}const pn=new Set(["unauthenticated","token_expired","session_ended"]);async function P(n,t){for(let r=0;;r++){if(!J)throw new ee("unauthenticated",re("unauthenticated","",void 0));Date.now()>=J.expiresAt&&await mn();const s=J?.access??"";let a;try{a=await fetch("/graphql",{method:"POST",headers:{"content-type":"application/json",accept:"application/json",authorization:`Bearer ${s}`},body:JSON.stringify({query:n.toString(),variables:t??{}}),credentials:"omit"})}catch{throw new ee("network",re("network","",void 0))}if(!a.ok)throw await ze(a);const o=await a.json(),c=o.errors?.[0];if(c){const m=c.extensions?.code??"internal_error";if(pn.has(m)&&r===0&&m!=="session_ended"){await mn();continue}throw pn.has(m)&&je(),new ee(m,re(m,c.message,c.extensions?.field))}if(o.data==null)throw new ee("internal_error",re("internal_error","",void 0));return o.data}}function se(){return crypto.randomUUID()}let Ye="EUR";function X(n){return typeof n=="number"?n:Number(n)}function ut(n){Ye=n}function I(n,t=Ye){if(n==null)return"—";try{return new Intl.NumberFormat("en-GB",{style:"currency",currency:t}).format(X(n)/100)}catch{return`${(X(n)/100).toFixed(2)} ${t}`}}function oe(n,t=Ye){try{return new Intl.NumberFormat("en-GB",{style:"currency",currency:t,notation:"compact",maximumFractionDigits:1}).format(X(n)/100)}catch{return`${Math.round(X(n)/100)} ${t}`}}function B(n,t=0){return n==null||Number.isNaN(n)?"—":`${(n*100).toFixed(t)} %`}function A(n){return new Intl.NumberFormat("en-GB").format(X(n))}function M(n){if(!n)return"—";const t=new Date(n);return Number.isNaN(t.getTime())?n:t.toLocaleDateString("en-GB",{day:"numeric",month:"short",year:"numeric",timeZone:"UTC"})}function Fn(n){if(!n)return"—";const t=Math.floor((Date.now()-new Date(n).getTime())/864e5);if(t<=0)return"today";if(t===1)return"yesterday";if(t<60)return`${t} days ago`;const r=Math.round(t/30.4);return r<24?`${r} months ago`:`${Math.round(t/365)} years ago`}function R(n){if(!n)return"—";const t=n.replace(/_/g," ");return t.charAt(0).toUpperCase()+t.slice(1)}class D extends String{__apiType;value;__meta__;constructor(t,r){super(t),this.value=t,this.__meta__=r}toString(){return this.value}}new D(`
    fragment ArmComparisonParts on ArmComparison {
  group
  incrementalRevenue
  incrementalMargin
  significance
  treatment {
    members
    buyers
    conversionRate
    revenuePerMember
  }
  control {
    members
    buyers
    conversionRate
    revenuePerMember
  }
  conversionUplift {
    difference
    relative
    ciLow
    ciHigh
    pValue
    significance
  }
}
    `,{fragmentName:"ArmComparisonParts"});new D(`
    fragment ComplaintRow on Complaint {
  id
  accountId
  subject
  category
  severity
  status
  openedAt
  resolutionDueAt
  firstResponseBreached
  resolutionBreached
}
    `,{fragmentName:"ComplaintRow"});new D(`
    fragment ScoreParts on Scores {
  npsResponses
  promoters
  passives
  detractors
  nps
  npsLow
  npsHigh
  csatResponses
  csatAverage
  csatSatisfiedShare
  cesResponses
  cesAverage
}
    `,{fragmentName:"ScoreParts"});const ht=new D(`
    query Me {
  me {
    name
    email
    role
  }
  workspace {
    name
  }
  valueSettings {
    reportingCurrency
  }
}
    `),mt=new D(`
    query Campaigns {
  campaigns(first: 100) {
    nodes {
      id
      name
      channel
      status
      segmentId
      launchedAt
      endsAt
      controlShare
      audience {
        eligible
        treated
        control
      }
    }
  }
  segments(first: 100) {
    nodes {
      id
      name
    }
  }
}
    `),pt=new D(`
    query CampaignResults($id: ID!) {
  campaignResults(id: $id) {
    status
    currency
    windowStart
    windowEnd
    windowOpen
    cost
    romi
    total {
      ...ArmComparisonParts
    }
    byRfmSegment {
      ...ArmComparisonParts
    }
  }
}
    fragment ArmComparisonParts on ArmComparison {
  group
  incrementalRevenue
  incrementalMargin
  significance
  treatment {
    members
    buyers
    conversionRate
    revenuePerMember
  }
  control {
    members
    buyers
    conversionRate
    revenuePerMember
  }
  conversionUplift {
    difference
    relative
    ciLow
    ciHigh
    pValue
    significance
  }
}`),ft=new D(`
    mutation CreateCampaign($input: CampaignInput!, $key: String) {
  createCampaign(input: $input, idempotencyKey: $key) {
    id
    name
  }
}
    `),yt=new D(`
    mutation LaunchCampaign($id: ID!, $key: String) {
  launchCampaign(id: $id, idempotencyKey: $key) {
    id
    status
    audience {
      treated
      control
    }
  }
}
    `),gt=new D(`
    query Cohorts($from: String!) {
  cohortReport(period: "month", from: $from) {
    currency
    cohorts {
      cohort
      customers
      periods {
        periodNumber
        period
        activeCustomers
        retention
        cumulativeRevenuePerCustomer
      }
    }
  }
}
    `),vt=new D(`
    query Customer360($id: ID!) {
  account(id: $id) {
    id
    name
    kind
    emails
    phones
    tags
    lifecycleStage
    acquisitionChannel
    createdAt
    metrics {
      currency
      ordersCount
      revenue
      margin
      averageOrderValue
      firstOrderAt
      lastOrderAt
      repeatPurchases
      rfm {
        r
        f
        m
        segment
        label
      }
      pAlive
      churnProbability
      riskBand
      expectedOrders90d
      expectedOrderValue
      clv
      spendModel
      predictionsUnavailable
    }
    interactions(first: 12) {
      nodes {
        id
        type
        channel
        direction
        subject
        occurredAt
      }
    }
    orders(first: 12) {
      nodes {
        id
        externalId
        amount
        currency
        refundedAmount
        status
        occurredAt
        channel
      }
    }
    nextBestOffers {
      offer {
        id
        name
        kind
        percent
        amount
        currency
        points
        pointsMultiplier
        benefit
      }
      expectedIncrementalMargin
      explanation
    }
    recommendations(limit: 5) {
      data {
        sku
        name
        reason
        explanation
      }
    }
    satisfaction {
      nps
      npsCategory
      npsAt
      csat
      csatAt
      ces
      cesAt
      responses
      openComplaints
    }
    feedback(first: 5) {
      nodes {
        id
        nps
        csat
        ces
        touchpoint
        channel
        comment
        occurredAt
      }
    }
    complaints(first: 5) {
      nodes {
        id
        subject
        status
        severity
        openedAt
        firstResponseBreached
        resolutionBreached
      }
    }
  }
  accountOffers(accountId: $id, stateFilter: "all", first: 8) {
    nodes {
      voucher {
        id
        code
        state
        validUntil
        issuedAt
        redeemedAt
      }
      offer {
        name
      }
    }
  }
  loyaltyBalance(accountId: $id) {
    available
    pending
    expiringIn30Days
    lifetimeEarned
    tier {
      name
    }
    nextTier {
      name
      missing
    }
  }
  loyaltyProgram {
    currency
    qualification
  }
  loyaltyLedger(accountId: $id, first: 6) {
    nodes {
      id
      kind
      points
      reason
      occurredAt
    }
  }
  deals(first: 20, filter: {accountId: $id, status: "open"}) {
    nodes {
      id
      title
      amount
      currency
      stageId
      expectedCloseOn
    }
  }
  pipelines(first: 20) {
    nodes {
      stages {
        id
        name
      }
    }
  }
}
    `),_t=new D(`
    query Customers($first: Int!, $after: String, $filter: AccountFilterInput, $withSegments: Boolean!) {
  accounts(first: $first, after: $after, filter: $filter, sort: "name") {
    pageInfo {
      hasNextPage
      endCursor
    }
    nodes {
      id
      name
      kind
      lifecycleStage
      emails
      metrics {
        ordersCount
        revenue
        clv
        riskBand
        rfm {
          label
        }
      }
    }
  }
  segments(first: 100) @include(if: $withSegments) {
    nodes {
      id
      name
    }
  }
}
    `),bt=new D(`
    query Feedback {
  satisfactionReport(period: "month", detractorsLimit: 5) {
    currency
    startsAt
    endsBefore
    overall {
      ...ScoreParts
    }
    overTime {
      key
      scores {
        ...ScoreParts
      }
    }
    byTouchpoint {
      key
      scores {
        ...ScoreParts
      }
    }
    byChannel {
      key
      scores {
        ...ScoreParts
      }
    }
    complaints {
      opened
      resolved
      active
      firstResponseSlaMet
      resolutionSlaMet
      firstResponseMinutesMedian
      resolutionMinutesMedian
    }
    detractorsAtRisk {
      accountId
      name
      nps
      valueAtRisk
    }
  }
  complaints(first: 50) {
    nodes {
      ...ComplaintRow
    }
  }
}
    fragment ComplaintRow on Complaint {
  id
  accountId
  subject
  category
  severity
  status
  openedAt
  resolutionDueAt
  firstResponseBreached
  resolutionBreached
}
fragment ScoreParts on Scores {
  npsResponses
  promoters
  passives
  detractors
  nps
  npsLow
  npsHigh
  csatResponses
  csatAverage
  csatSatisfiedShare
  cesResponses
  cesAverage
}`),wt=new D(`
    query Complaints($status: String) {
  complaints(first: 50, status: $status) {
    nodes {
      ...ComplaintRow
    }
  }
}
    fragment ComplaintRow on Complaint {
  id
  accountId
  subject
  category
  severity
  status
  openedAt
  resolutionDueAt
  firstResponseBreached
  resolutionBreached
}`),$t=new D(`
    query ComplaintDetail($id: ID!) {
  complaint(id: $id) {
    id
    accountId
    orderId
    feedbackId
    category
    severity
    channel
    subject
    description
    status
    openedAt
    firstResponseDueAt
    resolutionDueAt
    firstRespondedAt
    resolvedAt
    closedAt
    firstResponseBreached
    resolutionBreached
    outcome
  }
  complaintHistory(id: $id) {
    id
    kind
    fromStatus
    toStatus
    body
    actorType
    occurredAt
  }
}
    `),kt=new D(`
    mutation ResolveComplaint($id: ID!, $input: ResolveComplaintInput!, $key: String) {
  resolveComplaint(id: $id, input: $input, idempotencyKey: $key) {
    complaint {
      id
      status
    }
    compensations {
      kind
      points
      amount
      currency
      paidNow
    }
  }
}
    `),Ct=new D(`
    query Loyalty {
  loyaltyProgram {
    currency
    active
    earnRate {
      numerator
      denominator
    }
    qualification
    qualificationWindowDays
    expiryMonths
    pendingDays
    tiers {
      name
      threshold
      multiplierPermille
      benefits
    }
  }
  loyaltyRewards(first: 100) {
    nodes {
      id
      name
      description
      pointsCost
      stock
      availableUntil
    }
  }
}
    `),St=new D(`
    query Offers {
  offers(first: 200) {
    nodes {
      id
      name
      description
      kind
      percent
      amount
      currency
      points
      pointsMultiplier
      benefit
      status
      issued
      redemptions
      spent
      budget
      campaignId
      validUntil
      voucherValidDays
      version
    }
  }
  campaigns(first: 100) {
    nodes {
      id
      name
    }
  }
  segments(first: 100) {
    nodes {
      id
      name
    }
  }
}
    `),At=new D(`
    mutation CreateOffer($input: OfferInput!, $key: String) {
  createOffer(input: $input, idempotencyKey: $key) {
    id
    name
    status
  }
}
    `),xt=new D(`
    mutation SetOfferStatus($id: ID!, $patch: JSON!, $version: Int) {
  updateOffer(id: $id, patch: $patch, ifVersion: $version) {
    id
    status
  }
}
    `),Rt=new D(`
    mutation IssueOffer($id: ID!, $input: IssueOfferInput!, $key: String) {
  issueOffer(id: $id, input: $input, idempotencyKey: $key) {
    issued
    alreadyHolding
    ineligible
  }
}
    `),It=new D(`
    query Overview($from: String!) {
  valueDistribution {
    currency
    revenue {
      customers
      total
      concentration {
        topPercent
        share
      }
    }
    clv {
      customers
      total
    }
  }
  churnReport(period: "month", from: $from) {
    currency
    repeat {
      repeatPurchaseRate
    }
    periods {
      period
      activeCustomers
      newCustomers
      churnRate
      revenue
      margin
    }
    expected {
      expectedChurnRate
    }
  }
  deals(first: 500, filter: {status: "open"}) {
    pageInfo {
      hasNextPage
    }
    nodes {
      amount
      currency
    }
  }
  satisfactionReport(period: "month", detractorsLimit: 1) {
    overall {
      nps
      npsResponses
    }
    overTime {
      key
      scores {
        nps
      }
    }
  }
  atRiskAccounts(first: 5) {
    nodes {
      accountId
      name
      valueAtRisk
      churnProbability
    }
  }
}
    `),Dt=new D(`
    query Board {
  pipelines(first: 20) {
    nodes {
      id
      name
      stages {
        id
        name
        kind
        probability
      }
    }
  }
  deals(first: 500, filter: {status: "open"}) {
    nodes {
      id
      title
      amount
      currency
      pipelineId
      stageId
      version
      expectedCloseOn
    }
  }
}
    `),Pt=new D(`
    mutation MoveDeal($id: ID!, $stageId: ID!, $ifVersion: Int, $lostReason: String, $key: String) {
  moveDeal(
    id: $id
    stageId: $stageId
    ifVersion: $ifVersion
    lostReason: $lostReason
    idempotencyKey: $key
  ) {
    id
    stageId
    version
    status
  }
}
    `),Tt=new D(`
    query Segments {
  segments(first: 100) {
    nodes {
      id
      name
      description
      rule
      tracked
      createdAt
    }
  }
}
    `),Mt=new D(`
    query PreviewSegment($rule: JSON!) {
  previewSegment(rule: $rule, sampleSize: 5) {
    count
    sample {
      id
      name
    }
  }
}
    `),Nt=new D(`
    mutation CreateSegment($input: SegmentInput!, $key: String) {
  createSegment(input: $input, idempotencyKey: $key) {
    id
    name
  }
}
    `),Ot=new D(`
    query Settings {
  users(first: 100) {
    nodes {
      id
      name
      email
      role
      disabled
      lastLoginAt
      version
    }
  }
  apiKeys(first: 100) {
    nodes {
      id
      name
      prefix
      scopes
      lastUsedAt
      expiresAt
      revokedAt
    }
  }
  webhooks(first: 50) {
    nodes {
      id
      url
      description
      eventTypes
      enabled
      disabledReason
    }
  }
}
    `),qt=new D(`
    mutation CreateUser($input: NewUser!) {
  createUser(input: $input) {
    id
    name
    role
  }
}
    `),Ut=new D(`
    mutation SetUserDisabled($id: ID!, $disabled: Boolean!) {
  updateUser(id: $id, input: {disabled: $disabled}) {
    id
    disabled
  }
}
    `),Bt=new D(`
    mutation CreateApiKey($input: NewApiKey!) {
  createApiKey(input: $input) {
    id
    name
    scopes
    secret
  }
}
    `),Lt=new D(`
    mutation RevokeApiKey($id: ID!) {
  revokeApiKey(id: $id) {
    id
    revokedAt
  }
}
    `),Ft=new D(`
    mutation CreateWebhook($input: NewWebhook!) {
  createWebhook(input: $input) {
    id
    url
    secret
  }
}
    `),Et=new D(`
    mutation DeleteWebhook($id: ID!) {
  deleteWebhook(id: $id)
}
    `),Vt=new D(`
    query WebhookDeliveries($id: ID!) {
  webhookDeliveries(webhookId: $id, first: 20) {
    nodes {
      id
      eventType
      attempt
      trigger
      outcome
      statusCode
      latencyMs
      error
      createdAt
    }
  }
}
    `),Ht=new D(`
    query Value {
  rfmSegments {
    currency
    breakpointsFittedAt
    scoredAccounts
    unscoredAccounts
    segments {
      segment
      label
      accounts
      revenue
      shareOfAccounts
      shareOfRevenue
    }
  }
  valueDistribution {
    currency
    clv {
      customers
      histogram {
        lower
        upper
        customers
      }
    }
  }
  atRiskAccounts(first: 20) {
    nodes {
      accountId
      name
      valueAtRisk
      churnProbability
      riskBand
      clv
      revenue
      segment
    }
  }
}
    `),Kt={"\n  query Me {\n    me {\n      name\n      email\n      role\n    }\n    workspace {\n      name\n    }\n    valueSettings {\n      reportingCurrency\n    }\n  }\n":ht,"\n  query Campaigns {\n    campaigns(first: 100) {\n      nodes {\n        id\n        name\n        channel\n        status\n        segmentId\n        launchedAt\n        endsAt\n        controlShare\n        audience {\n          eligible\n          treated\n          control\n        }\n      }\n    }\n    segments(first: 100) {\n      nodes {\n        id\n        name\n      }\n    }\n  }\n":mt,"\n  query CampaignResults($id: ID!) {\n    campaignResults(id: $id) {\n      status\n      currency\n      windowStart\n      windowEnd\n      windowOpen\n      cost\n      romi\n      total {\n        ...ArmComparisonParts\n      }\n      byRfmSegment {\n        ...ArmComparisonParts\n      }\n    }\n  }\n  fragment ArmComparisonParts on ArmComparison {\n    group\n    incrementalRevenue\n    incrementalMargin\n    significance\n    treatment {\n      members\n      buyers\n      conversionRate\n      revenuePerMember\n    }\n    control {\n      members\n      buyers\n      conversionRate\n      revenuePerMember\n    }\n    conversionUplift {\n      difference\n      relative\n      ciLow\n      ciHigh\n      pValue\n      significance\n    }\n  }\n":pt,"\n  mutation CreateCampaign($input: CampaignInput!, $key: String) {\n    createCampaign(input: $input, idempotencyKey: $key) {\n      id\n      name\n    }\n  }\n":ft,"\n  mutation LaunchCampaign($id: ID!, $key: String) {\n    launchCampaign(id: $id, idempotencyKey: $key) {\n      id\n      status\n      audience {\n        treated\n        control\n      }\n    }\n  }\n":yt,'\n  query Cohorts($from: String!) {\n    cohortReport(period: "month", from: $from) {\n      currency\n      cohorts {\n        cohort\n        customers\n        periods {\n          periodNumber\n          period\n          activeCustomers\n          retention\n          cumulativeRevenuePerCustomer\n        }\n      }\n    }\n  }\n':gt,'\n  query Customer360($id: ID!) {\n    account(id: $id) {\n      id\n      name\n      kind\n      emails\n      phones\n      tags\n      lifecycleStage\n      acquisitionChannel\n      createdAt\n      metrics {\n        currency\n        ordersCount\n        revenue\n        margin\n        averageOrderValue\n        firstOrderAt\n        lastOrderAt\n        repeatPurchases\n        rfm {\n          r\n          f\n          m\n          segment\n          label\n        }\n        pAlive\n        churnProbability\n        riskBand\n        expectedOrders90d\n        expectedOrderValue\n        clv\n        spendModel\n        predictionsUnavailable\n      }\n      interactions(first: 12) {\n        nodes {\n          id\n          type\n          channel\n          direction\n          subject\n          occurredAt\n        }\n      }\n      orders(first: 12) {\n        nodes {\n          id\n          externalId\n          amount\n          currency\n          refundedAmount\n          status\n          occurredAt\n          channel\n        }\n      }\n      nextBestOffers {\n        offer {\n          id\n          name\n          kind\n          percent\n          amount\n          currency\n          points\n          pointsMultiplier\n          benefit\n        }\n        expectedIncrementalMargin\n        explanation\n      }\n      recommendations(limit: 5) {\n        data {\n          sku\n          name\n          reason\n          explanation\n        }\n      }\n      satisfaction {\n        nps\n        npsCategory\n        npsAt\n        csat\n        csatAt\n        ces\n        cesAt\n        responses\n        openComplaints\n      }\n      feedback(first: 5) {\n        nodes {\n          id\n          nps\n          csat\n          ces\n          touchpoint\n          channel\n          comment\n          occurredAt\n        }\n      }\n      complaints(first: 5) {\n        nodes {\n          id\n          subject\n          status\n          severity\n          openedAt\n          firstResponseBreached\n          resolutionBreached\n        }\n      }\n    }\n    accountOffers(accountId: $id, stateFilter: "all", first: 8) {\n      nodes {\n        voucher {\n          id\n          code\n          state\n          validUntil\n          issuedAt\n          redeemedAt\n        }\n        offer {\n          name\n        }\n      }\n    }\n    loyaltyBalance(accountId: $id) {\n      available\n      pending\n      expiringIn30Days\n      lifetimeEarned\n      tier {\n        name\n      }\n      nextTier {\n        name\n        missing\n      }\n    }\n    loyaltyProgram {\n      currency\n      qualification\n    }\n    loyaltyLedger(accountId: $id, first: 6) {\n      nodes {\n        id\n        kind\n        points\n        reason\n        occurredAt\n      }\n    }\n    deals(first: 20, filter: { accountId: $id, status: "open" }) {\n      nodes {\n        id\n        title\n        amount\n        currency\n        stageId\n        expectedCloseOn\n      }\n    }\n    pipelines(first: 20) {\n      nodes {\n        stages {\n          id\n          name\n        }\n      }\n    }\n  }\n':vt,'\n  query Customers($first: Int!, $after: String, $filter: AccountFilterInput, $withSegments: Boolean!) {\n    accounts(first: $first, after: $after, filter: $filter, sort: "name") {\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      nodes {\n        id\n        name\n        kind\n        lifecycleStage\n        emails\n        metrics {\n          ordersCount\n          revenue\n          clv\n          riskBand\n          rfm {\n            label\n          }\n        }\n      }\n    }\n    segments(first: 100) @include(if: $withSegments) {\n      nodes {\n        id\n        name\n      }\n    }\n  }\n':_t,'\n  query Feedback {\n    satisfactionReport(period: "month", detractorsLimit: 5) {\n      currency\n      startsAt\n      endsBefore\n      overall {\n        ...ScoreParts\n      }\n      overTime {\n        key\n        scores {\n          ...ScoreParts\n        }\n      }\n      byTouchpoint {\n        key\n        scores {\n          ...ScoreParts\n        }\n      }\n      byChannel {\n        key\n        scores {\n          ...ScoreParts\n        }\n      }\n      complaints {\n        opened\n        resolved\n        active\n        firstResponseSlaMet\n        resolutionSlaMet\n        firstResponseMinutesMedian\n        resolutionMinutesMedian\n      }\n      detractorsAtRisk {\n        accountId\n        name\n        nps\n        valueAtRisk\n      }\n    }\n    complaints(first: 50) {\n      nodes {\n        ...ComplaintRow\n      }\n    }\n  }\n  fragment ComplaintRow on Complaint {\n    id\n    accountId\n    subject\n    category\n    severity\n    status\n    openedAt\n    resolutionDueAt\n    firstResponseBreached\n    resolutionBreached\n  }\n  fragment ScoreParts on Scores {\n    npsResponses\n    promoters\n    passives\n    detractors\n    nps\n    npsLow\n    npsHigh\n    csatResponses\n    csatAverage\n    csatSatisfiedShare\n    cesResponses\n    cesAverage\n  }\n':bt,"\n  query Complaints($status: String) {\n    complaints(first: 50, status: $status) {\n      nodes {\n        ...ComplaintRow\n      }\n    }\n  }\n":wt,"\n  query ComplaintDetail($id: ID!) {\n    complaint(id: $id) {\n      id\n      accountId\n      orderId\n      feedbackId\n      category\n      severity\n      channel\n      subject\n      description\n      status\n      openedAt\n      firstResponseDueAt\n      resolutionDueAt\n      firstRespondedAt\n      resolvedAt\n      closedAt\n      firstResponseBreached\n      resolutionBreached\n      outcome\n    }\n    complaintHistory(id: $id) {\n      id\n      kind\n      fromStatus\n      toStatus\n      body\n      actorType\n      occurredAt\n    }\n  }\n":$t,"\n  mutation ResolveComplaint($id: ID!, $input: ResolveComplaintInput!, $key: String) {\n    resolveComplaint(id: $id, input: $input, idempotencyKey: $key) {\n      complaint {\n        id\n        status\n      }\n      compensations {\n        kind\n        points\n        amount\n        currency\n        paidNow\n      }\n    }\n  }\n":kt,"\n  query Loyalty {\n    loyaltyProgram {\n      currency\n      active\n      earnRate {\n        numerator\n        denominator\n      }\n      qualification\n      qualificationWindowDays\n      expiryMonths\n      pendingDays\n      tiers {\n        name\n        threshold\n        multiplierPermille\n        benefits\n      }\n    }\n    loyaltyRewards(first: 100) {\n      nodes {\n        id\n        name\n        description\n        pointsCost\n        stock\n        availableUntil\n      }\n    }\n  }\n":Ct,"\n  query Offers {\n    offers(first: 200) {\n      nodes {\n        id\n        name\n        description\n        kind\n        percent\n        amount\n        currency\n        points\n        pointsMultiplier\n        benefit\n        status\n        issued\n        redemptions\n        spent\n        budget\n        campaignId\n        validUntil\n        voucherValidDays\n        version\n      }\n    }\n    campaigns(first: 100) {\n      nodes {\n        id\n        name\n      }\n    }\n    segments(first: 100) {\n      nodes {\n        id\n        name\n      }\n    }\n  }\n":St,"\n  mutation CreateOffer($input: OfferInput!, $key: String) {\n    createOffer(input: $input, idempotencyKey: $key) {\n      id\n      name\n      status\n    }\n  }\n":At,"\n  mutation SetOfferStatus($id: ID!, $patch: JSON!, $version: Int) {\n    updateOffer(id: $id, patch: $patch, ifVersion: $version) {\n      id\n      status\n    }\n  }\n":xt,"\n  mutation IssueOffer($id: ID!, $input: IssueOfferInput!, $key: String) {\n    issueOffer(id: $id, input: $input, idempotencyKey: $key) {\n      issued\n      alreadyHolding\n      ineligible\n    }\n  }\n":Rt,'\n  query Overview($from: String!) {\n    valueDistribution {\n      currency\n      revenue {\n        customers\n        total\n        concentration {\n          topPercent\n          share\n        }\n      }\n      clv {\n        customers\n        total\n      }\n    }\n    churnReport(period: "month", from: $from) {\n      currency\n      repeat {\n        repeatPurchaseRate\n      }\n      periods {\n        period\n        activeCustomers\n        newCustomers\n        churnRate\n        revenue\n        margin\n      }\n      expected {\n        expectedChurnRate\n      }\n    }\n    deals(first: 500, filter: { status: "open" }) {\n      pageInfo {\n        hasNextPage\n      }\n      nodes {\n        amount\n        currency\n      }\n    }\n    satisfactionReport(period: "month", detractorsLimit: 1) {\n      overall {\n        nps\n        npsResponses\n      }\n      overTime {\n        key\n        scores {\n          nps\n        }\n      }\n    }\n    atRiskAccounts(first: 5) {\n      nodes {\n        accountId\n        name\n        valueAtRisk\n        churnProbability\n      }\n    }\n  }\n':It,'\n  query Board {\n    pipelines(first: 20) {\n      nodes {\n        id\n        name\n        stages {\n          id\n          name\n          kind\n          probability\n        }\n      }\n    }\n    deals(first: 500, filter: { status: "open" }) {\n      nodes {\n        id\n        title\n        amount\n        currency\n        pipelineId\n        stageId\n        version\n        expectedCloseOn\n      }\n    }\n  }\n':Dt,"\n  mutation MoveDeal($id: ID!, $stageId: ID!, $ifVersion: Int, $lostReason: String, $key: String) {\n    moveDeal(id: $id, stageId: $stageId, ifVersion: $ifVersion, lostReason: $lostReason, idempotencyKey: $key) {\n      id\n      stageId\n      version\n      status\n    }\n  }\n":Pt,"\n  query Segments {\n    segments(first: 100) {\n      nodes {\n        id\n        name\n        description\n        rule\n        tracked\n        createdAt\n      }\n    }\n  }\n":Tt,"\n  query PreviewSegment($rule: JSON!) {\n    previewSegment(rule: $rule, sampleSize: 5) {\n      count\n      sample {\n        id\n        name\n      }\n    }\n  }\n":Mt,"\n  mutation CreateSegment($input: SegmentInput!, $key: String) {\n    createSegment(input: $input, idempotencyKey: $key) {\n      id\n      name\n    }\n  }\n":Nt,"\n  query Settings {\n    users(first: 100) {\n      nodes {\n        id\n        name\n        email\n        role\n        disabled\n        lastLoginAt\n        version\n      }\n    }\n    apiKeys(first: 100) {\n      nodes {\n        id\n        name\n        prefix\n        scopes\n        lastUsedAt\n        expiresAt\n        revokedAt\n      }\n    }\n    webhooks(first: 50) {\n      nodes {\n        id\n        url\n        description\n        eventTypes\n        enabled\n        disabledReason\n      }\n    }\n  }\n":Ot,"\n  mutation CreateUser($input: NewUser!) {\n    createUser(input: $input) {\n      id\n      name\n      role\n    }\n  }\n":qt,"\n  mutation SetUserDisabled($id: ID!, $disabled: Boolean!) {\n    updateUser(id: $id, input: { disabled: $disabled }) {\n      id\n      disabled\n    }\n  }\n":Ut,"\n  mutation CreateApiKey($input: NewApiKey!) {\n    createApiKey(input: $input) {\n      id\n      name\n      scopes\n      secret\n    }\n  }\n":Bt,"\n  mutation RevokeApiKey($id: ID!) {\n    revokeApiKey(id: $id) {\n      id\n      revokedAt\n    }\n  }\n":Lt,"\n  mutation CreateWebhook($input: NewWebhook!) {\n    createWebhook(input: $input) {\n      id\n      url\n      secret\n    }\n  }\n":Ft,"\n  mutation DeleteWebhook($id: ID!) {\n    deleteWebhook(id: $id)\n  }\n":Et,"\n  query WebhookDeliveries($id: ID!) {\n    webhookDeliveries(webhookId: $id, first: 20) {\n      nodes {\n        id\n        eventType\n        attempt\n        trigger\n        outcome\n        statusCode\n        latencyMs\n        error\n        createdAt\n      }\n    }\n  }\n":Vt,"\n  query Value {\n    rfmSegments {\n      currency\n      breakpointsFittedAt\n      scoredAccounts\n      unscoredAccounts\n      segments {\n        segment\n        label\n        accounts\n        revenue\n        shareOfAccounts\n        shareOfRevenue\n      }\n    }\n    valueDistribution {\n      currency\n      clv {\n        customers\n        histogram {\n          lower\n          upper\n          customers\n        }\n      }\n    }\n    atRiskAccounts(first: 20) {\n      nodes {\n        accountId\n        name\n        valueAtRisk\n        churnProbability\n        riskBand\n        clv\n        revenue\n        segment\n      }\n    }\n  }\n":Ht};function T(n){return Kt[n]??{}}function ae({values:n,label:t}){if(n.length<2)return null;const a=Math.max(...n),o=Math.min(...n),c=a-o||1,m=n.map((u,l)=>`${(l/(n.length-1)*120).toFixed(1)},${(30-(u-o)/c*28).toFixed(1)}`).join(" ");return e("svg",{class:"spark",viewBox:"0 0 120 32",width:120,height:32,role:"img","aria-label":t,children:e("polyline",{points:m,fill:"none",stroke:"currentColor","stroke-width":"1.5"})})}function Wt({bars:n,label:t,height:r=140}){const a=Math.max(240,n.length*72),o=Math.max(1,...n.map(c=>c.value));return e("svg",{class:"chart",viewBox:`0 0 ${a} ${r+36}`,role:"img","aria-label":`${t}. ${n.map(c=>`${c.label}: ${c.text}`).join("; ")}`,children:n.map((c,m)=>{const u=c.value/o*(r-16);return e("g",{children:[e("title",{children:`${c.label}: ${c.text}`}),e("rect",{x:m*72+4,y:r-u,width:64,height:u,class:"bar"}),e("text",{x:m*72+72/2,y:r-u-4,"text-anchor":"middle",class:"tick",children:c.text}),e("text",{x:m*72+72/2,y:r+16,"text-anchor":"middle",class:"tick",children:c.label})]},`${m}-${c.label}`)})})}function En({value:n,label:t,tone:r}){return e("svg",{class:`meter ${r}`,viewBox:"0 0 200 12",width:200,height:12,role:"img","aria-label":`${t}: ${B(n)}`,children:[e("rect",{x:"0",y:"0",width:200,height:"12",rx:"6",class:"track"}),e("rect",{x:"0",y:"0",width:Math.max(0,Math.min(1,n))*200,height:"12",rx:"6",class:"fill"})]})}const jt=[["new","potential_loyalist","potential_loyalist","champions","champions"],["promising","potential_loyalist","potential_loyalist","loyal","champions"],["about_to_sleep","about_to_sleep","need_attention","loyal","loyal"],["hibernating","hibernating","at_risk","at_risk","at_risk"],["lost","lost","at_risk","cant_lose_them","cant_lose_them"]];function zt({cells:n,onPick:t}){const a=new Map(n.map(u=>[u.segment,u])),o=Math.max(1e-4,...n.map(u=>u.shareOfRevenue)),c=new Set,m=n.map(u=>`${u.label}: ${u.accounts} customers, ${oe(u.revenue)}`).join("; ");return e("svg",{class:"chart rfm",viewBox:"0 0 512 512",role:"img","aria-label":`RFM grid. ${m}`,children:[jt.map((u,l)=>u.map((y,h)=>{const i=a.get(y),f=i?i.shareOfRevenue/o:0,d=!c.has(y);c.add(y);const _=28+h*96,$=l*96;return e("g",{class:t?"pick":void 0,onClick:()=>t?.(y),children:[e("title",{children:i?`${i.label}: ${i.accounts} customers, ${oe(i.revenue)} revenue`:y}),e("rect",{x:_+1,y:$+1,width:94,height:94,fill:`hsl(210 70% ${Math.round(96-f*58)}%)`}),d&&i&&e(j,{children:[e("text",{x:_+6,y:$+18,class:f>.55?"cell light":"cell",children:i.label}),e("text",{x:_+6,y:$+36,class:f>.55?"cell light":"cell",children:[i.accounts," customers"]}),e("text",{x:_+6,y:$+52,class:f>.55?"cell light":"cell",children:oe(i.revenue)})]})]},`${l}-${h}`)})),[5,4,3,2,1].map((u,l)=>e("text",{x:10,y:l*96+96/2+4,class:"tick","text-anchor":"middle",children:`R${u}`},`r${u}`)),[1,2,3,4,5].map((u,l)=>e("text",{x:28+l*96+96/2,y:498,class:"tick","text-anchor":"middle",children:`FM${u}`},`fm${u}`))]})}function Le({rows:n,label:t}){const o=n.flatMap(h=>[h.estimate,h.low??h.estimate,h.high??h.estimate,0]),c=Math.min(...o),u=Math.max(...o)-c||1,l=h=>160+(h-c)/u*340,y=n.length*30+24;return e("svg",{class:"chart interval",viewBox:`0 0 520 ${y}`,role:"img","aria-label":`${t}. ${n.map(h=>`${h.label}: ${h.text}`).join("; ")}`,children:[e("line",{x1:l(0),x2:l(0),y1:0,y2:n.length*30,class:"zero"}),e("text",{x:l(0),y:y-6,"text-anchor":"middle",class:"tick",children:"0"}),n.map((h,i)=>{const f=i*30+15;return e("g",{children:[e("title",{children:`${h.label}: ${h.text}`}),e("text",{x:0,y:f+4,class:"tick",children:h.label}),h.low!=null&&h.high!=null&&e("line",{x1:l(h.low),x2:l(h.high),y1:f,y2:f,class:"ci"}),h.low!=null&&e("line",{x1:l(h.low),x2:l(h.low),y1:f-6,y2:f+6,class:"ci"}),h.high!=null&&e("line",{x1:l(h.high),x2:l(h.high),y1:f-6,y2:f+6,class:"ci"}),e("circle",{cx:l(h.estimate),cy:f,r:5,class:h.low!=null&&h.low>0?"est good":"est"})]},h.label)})]})}function Qt({rows:n,columns:t,label:r}){const c=130+t.length*52,m=22+n.length*26;return e("svg",{class:"chart heat",viewBox:`0 0 ${c} ${m}`,role:"img","aria-label":r,children:[t.map((u,l)=>e("text",{x:130+l*52+52/2,y:14,"text-anchor":"middle",class:"tick",children:u},u)),n.map((u,l)=>e("g",{children:[e("text",{x:0,y:22+l*26+17,class:"tick",children:[u.label," ",e("tspan",{class:"muted",children:u.note})]}),u.cells.map((y,h)=>e("g",{children:[e("title",{children:y.title}),e("rect",{x:130+h*52+1,y:22+l*26+1,width:50,height:24,fill:`hsl(160 55% ${Math.round(97-Math.min(1,y.value)*62)}%)`}),e("text",{x:130+h*52+52/2,y:22+l*26+17,"text-anchor":"middle",class:y.value>.55?"cell light":"cell",children:y.text})]},h))]},u.label))]})}function fn({points:n,label:t,min:r,max:s,zero:a}){const l=s-r||1,y=n.length>1?564/(n.length-1):0,h=p=>42+p*y,i=p=>8+(1-(Math.max(r,Math.min(s,p))-r)/l)*160,f=[];let d=[];n.forEach((p,v)=>{p.value==null?(d.length&&f.push(d),d=[]):d.push(`${h(v).toFixed(1)},${i(p.value).toFixed(1)}`)}),d.length&&f.push(d);const _=n.map((p,v)=>({p,i:v})).filter(({p})=>p.low!=null&&p.high!=null),$=_.length>1?[..._.map(({p,i:v})=>`${h(v).toFixed(1)},${i(p.high??0).toFixed(1)}`),...[..._].reverse().map(({p,i:v})=>`${h(v).toFixed(1)},${i(p.low??0).toFixed(1)}`)].join(" "):null,x=[r,a??(r+s)/2,s],b=Math.max(1,Math.ceil(n.length/12));return e("svg",{class:"chart line",viewBox:"0 0 640 200",role:"img","aria-label":`${t}. ${n.map(p=>`${p.label}: ${p.text}`).join("; ")}`,children:[x.map(p=>e("g",{children:[e("line",{x1:36,x2:636,y1:i(p),y2:i(p),class:p===a?"zero":"grid"}),e("text",{x:30,y:i(p)+4,"text-anchor":"end",class:"tick",children:p})]},p)),$&&e("polygon",{points:$,class:"band-fill"}),f.map((p,v)=>p.length>1?e("polyline",{points:p.join(" "),class:"series"},v):null),n.map((p,v)=>p.value==null?null:e("g",{children:[e("title",{children:`${p.label}: ${p.text}`}),e("circle",{cx:h(v),cy:i(p.value),r:3.5,class:"dot"})]},p.label)),n.map((p,v)=>v%b===0||v===n.length-1?e("text",{x:h(v),y:194,"text-anchor":"middle",class:"tick",children:p.label},`l${p.label}`):null)]})}const ce="/console";function yn(){const n=location.pathname.startsWith(ce)?location.pathname.slice(ce.length):"/";return n===""?"/":n}const xe=new Set;window.addEventListener("popstate",()=>xe.forEach(n=>n()));function Ge(n){history.pushState(null,"",ce+n),xe.forEach(t=>t()),window.scrollTo(0,0)}function Yt(){const[n,t]=w(yn());return G(()=>{const r=()=>t(yn());return xe.add(r),()=>xe.delete(r)},[]),n}function Gt(n){const t=n.currentTarget??null;if(!t||n.defaultPrevented||n.button!==0||n.metaKey||n.ctrlKey||n.shiftKey||n.altKey)return;const r=t.getAttribute("href")??"";r.startsWith(ce)&&(n.preventDefault(),Ge(r.slice(ce.length)||"/"))}const Vn=et(null);function de(){const n=it(Vn);if(!n)throw new Error("no session");return n}function fe(n,t){switch(t){case"deals":case"segments":case"complaints":return["owner","admin","manager","agent"].includes(n.role);case"campaigns":case"offers":return["owner","admin","manager"].includes(n.role);case"admin":return["owner","admin"].includes(n.role)}}function Je({notice:n,testid:t}){return e("div",{"aria-live":"polite",children:n&&e("p",{class:`notice ${n.ok?"ok":"conflict"}`,role:n.ok?"status":"alert","data-testid":t,children:n.text})})}function F(n){return e("a",{href:ce+n.href,onClick:Gt,class:n.class,"aria-current":n["aria-current"],children:n.children})}function K({what:n}){return e("p",{class:"state loading",role:"status","aria-live":"polite",children:["Loading ",n,"…"]})}function O({children:n}){return e("p",{class:"state empty",children:n})}function E({error:n,retry:t}){return e("div",{class:"state error",role:"alert",children:[e("p",{children:Y(n)}),t&&e("button",{type:"button",onClick:t,children:"Try again"})]})}function Y(n){return n instanceof ee?n.message:"Something went wrong in the console. Reload the page and try again."}function W(n,t){const[r,s]=w({status:"loading"}),[a,o]=w(0),c=he(0);G(()=>{const u=++c.current;s(l=>l.status==="ok"&&a>0?l:{status:"loading"}),n().then(l=>u===c.current&&s({status:"ok",data:l}),l=>u===c.current&&s({status:"error",error:l}))},[t,a]);const m=rt(()=>o(u=>u+1),[]);return{...r,reload:m}}function H({title:n,children:t,actions:r}){return G(()=>{document.title=`${n} · Rapport`},[n]),e("section",{class:"page","aria-labelledby":"page-title",children:[e("header",{class:"page-head",children:[e("h1",{id:"page-title",children:n}),r]}),t]})}const Jt=T(`
  query Campaigns {
    campaigns(first: 100) {
      nodes {
        id
        name
        channel
        status
        segmentId
        launchedAt
        endsAt
        controlShare
        audience {
          eligible
          treated
          control
        }
      }
    }
    segments(first: 100) {
      nodes {
        id
        name
      }
    }
  }
`),Xt=T(`
  query CampaignResults($id: ID!) {
    campaignResults(id: $id) {
      status
      currency
      windowStart
      windowEnd
      windowOpen
      cost
      romi
      total {
        ...ArmComparisonParts
      }
      byRfmSegment {
        ...ArmComparisonParts
      }
    }
  }
  fragment ArmComparisonParts on ArmComparison {
    group
    incrementalRevenue
    incrementalMargin
    significance
    treatment {
      members
      buyers
      conversionRate
      revenuePerMember
    }
    control {
      members
      buyers
      conversionRate
      revenuePerMember
    }
    conversionUplift {
      difference
      relative
      ciLow
      ciHigh
      pValue
      significance
    }
  }
`),Zt=T(`
  mutation CreateCampaign($input: CampaignInput!, $key: String) {
    createCampaign(input: $input, idempotencyKey: $key) {
      id
      name
    }
  }
`),er=T(`
  mutation LaunchCampaign($id: ID!, $key: String) {
    launchCampaign(id: $id, idempotencyKey: $key) {
      id
      status
      audience {
        treated
        control
      }
    }
  }
`),nr=["in_store","call","direct_mail","email","sms","push"];function tr({id:n}){const t=W(()=>P(Xt,{id:n}),n);if(t.status==="loading")return e(K,{what:"results"});if(t.status==="error")return e(E,{error:t.error,retry:t.reload});const r=t.data.campaignResults,s=r.total,a=[s,...r.byRfmSegment.filter(c=>c.treatment.members>0)].map(c=>({label:c.group==="all"?"All members":R(c.group),estimate:c.conversionUplift.difference*100,low:c.conversionUplift.ciLow==null?null:c.conversionUplift.ciLow*100,high:c.conversionUplift.ciHigh==null?null:c.conversionUplift.ciHigh*100,text:`${(c.conversionUplift.difference*100).toFixed(1)} points`+(c.conversionUplift.ciLow!=null&&c.conversionUplift.ciHigh!=null?` (95 % interval ${(c.conversionUplift.ciLow*100).toFixed(1)} to ${(c.conversionUplift.ciHigh*100).toFixed(1)})`:" (too few members for an interval)")})),o=s.conversionUplift;return e("div",{"data-testid":"results",children:[e("p",{children:[r.windowOpen?"The attribution window is still open (figures will move): ":"Final results: ",B(s.treatment.conversionRate,1)," of treated members bought against ",B(s.control.conversionRate,1)," in the control group, an uplift of ",e("strong",{children:[(o.difference*100).toFixed(1)," percentage points"]}),o.ciLow!=null&&o.ciHigh!=null?` (95 % interval ${(o.ciLow*100).toFixed(1)} to ${(o.ciHigh*100).toFixed(1)})`:"",", which is"," ",o.significance==="significant"?"statistically significant":o.significance==="not_significant"?"not statistically significant":"not yet measurable (too little data)","."]}),e("table",{class:"list compact","aria-label":"Arms",children:[e("thead",{children:e("tr",{children:[e("th",{scope:"col",children:"Arm"}),e("th",{scope:"col",class:"num",children:"Members"}),e("th",{scope:"col",class:"num",children:"Buyers"}),e("th",{scope:"col",class:"num",children:"Conversion"}),e("th",{scope:"col",class:"num",children:"Revenue per member"})]})}),e("tbody",{children:[["Treated",s.treatment],["Control",s.control]].map(([c,m])=>e("tr",{children:[e("td",{children:c}),e("td",{class:"num",children:A(m.members)}),e("td",{class:"num",children:A(m.buyers)}),e("td",{class:"num",children:B(m.conversionRate,1)}),e("td",{class:"num",children:I(Math.round(m.revenuePerMember),r.currency)})]},c))})]}),e(Le,{rows:a,label:"Conversion uplift in percentage points with 95 % intervals"}),e("dl",{class:"kpis",children:[e("div",{children:[e("dt",{children:"Incremental revenue"}),e("dd",{children:I(s.incrementalRevenue,r.currency)})]}),e("div",{children:[e("dt",{children:"Incremental margin"}),e("dd",{children:I(s.incrementalMargin,r.currency)})]}),e("div",{children:[e("dt",{children:"Cost"}),e("dd",{children:I(r.cost,r.currency)})]}),e("div",{children:[e("dt",{children:"ROMI"}),e("dd",{children:r.romi==null?"free campaign":B(r.romi)})]})]}),e("p",{class:"muted small",children:["Window ",M(r.windowStart)," to ",M(r.windowEnd)," · ",A(s.treatment.members)," treated, ",A(s.control.members)," in control."]})]})}function rr({selected:n}){const t=de(),r=fe(t,"campaigns"),s=W(()=>P(Jt),"campaigns"),[a,o]=w(""),[c,m]=w(""),[u,l]=w("in_store"),[y,h]=w("10"),[i,f]=w(!1),[d,_]=w(null);if(s.status==="loading")return e(K,{what:"campaigns"});if(s.status==="error")return e(E,{error:s.error,retry:s.reload});const{campaigns:$,segments:x}=s.data,b=new Map(x.nodes.map(g=>[g.id,g.name])),p=$.nodes.find(g=>g.id===n)??null,v=async g=>{g.preventDefault(),f(!0),_(null);try{const S=Number(y)/100,U=await P(Zt,{input:{name:a.trim(),segmentId:c||(x.nodes[0]?.id??""),channel:u,controlShare:S,costFixed:0,costPerContact:0},key:se()});_({ok:!0,text:`Draft “${U.createCampaign.name}” created. Launch it when ready.`}),o(""),s.reload()}catch(S){_({ok:!1,text:Y(S)})}finally{f(!1)}},k=async(g,S)=>{f(!0),_(null);try{const z=(await P(er,{id:g,key:se()})).launchCampaign.audience;_({ok:!0,text:`“${S}” launched: ${z?`${A(z.treated)} customers treated, ${A(z.control)} held out as control`:"audience drawn"}.`}),s.reload()}catch(U){_({ok:!1,text:Y(U)})}finally{f(!1)}};return e(H,{title:"Campaigns",children:[e("div",{"aria-live":"polite",children:d&&e("p",{class:`notice ${d.ok?"ok":"conflict"}`,role:d.ok?"status":"alert","data-testid":"campaign-notice",children:d.text})}),e("div",{class:"grid",children:[e("article",{class:"card wide","aria-labelledby":"list-h",children:[e("h2",{id:"list-h",children:"All campaigns"}),$.nodes.length===0?e(O,{children:"No campaign yet."}):e("table",{class:"list","aria-labelledby":"list-h",children:[e("thead",{children:e("tr",{children:[e("th",{scope:"col",children:"Name"}),e("th",{scope:"col",children:"Segment"}),e("th",{scope:"col",children:"Channel"}),e("th",{scope:"col",children:"Status"}),e("th",{scope:"col",class:"num",children:"Treated / control"}),e("th",{scope:"col",children:e("span",{class:"muted small",children:"Action"})})]})}),e("tbody",{children:$.nodes.map(g=>e("tr",{children:[e("td",{children:g.status==="draft"?g.name:e(F,{href:`/campaigns/${encodeURIComponent(g.id)}`,children:g.name})}),e("td",{children:b.get(g.segmentId)??"—"}),e("td",{children:R(g.channel)}),e("td",{children:[R(g.status),g.launchedAt?` ${M(g.launchedAt)}`:""]}),e("td",{class:"num",children:g.audience?`${A(g.audience.treated)} / ${A(g.audience.control)}`:"—"}),e("td",{children:[g.status==="draft"&&r&&e("button",{type:"button",disabled:i,onClick:()=>{k(g.id,g.name)},children:["Launch “",g.name,"”"]}),g.status!=="draft"&&e("button",{type:"button",class:"secondary",onClick:()=>Ge(`/campaigns/${encodeURIComponent(g.id)}`),children:"Results"})]})]},g.id))})]})]}),p&&p.status!=="draft"&&e("article",{class:"card wide","aria-labelledby":"results-h",children:[e("h2",{id:"results-h",children:["Results: ",p.name]}),e(tr,{id:p.id})]}),r&&e("article",{class:"card","aria-labelledby":"new-h",children:[e("h2",{id:"new-h",children:"New campaign"}),x.nodes.length===0?e(O,{children:["A campaign targets a segment: ",e(F,{href:"/segments",children:"build one first"}),"."]}):e("form",{onSubmit:g=>{v(g)},class:"rule",children:[e("label",{children:["Name",e("input",{name:"campaign-name",required:!0,maxLength:200,value:a,onInput:g=>o(g.currentTarget.value)})]}),e("label",{children:["Segment",e("select",{name:"campaign-segment",value:c||x.nodes[0]?.id,onChange:g=>m(g.currentTarget.value),children:x.nodes.map(g=>e("option",{value:g.id,children:g.name},g.id))})]}),e("label",{children:["Channel",e("select",{value:u,onChange:g=>l(g.currentTarget.value),children:nr.map(g=>e("option",{value:g,children:R(g)},g))})]}),e("label",{children:["Control group (% held out)",e("input",{type:"number",min:1,max:90,value:y,onInput:g=>h(g.currentTarget.value)})]}),e("button",{type:"submit",disabled:i||!a.trim(),children:"Create draft"})]})]})]})]})}const ir=T(`
  query Cohorts($from: String!) {
    cohortReport(period: "month", from: $from) {
      currency
      cohorts {
        cohort
        customers
        periods {
          periodNumber
          period
          activeCustomers
          retention
          cumulativeRevenuePerCustomer
        }
      }
    }
  }
`);function sr(n){const t=new Date;return t.setUTCDate(1),t.setUTCMonth(t.getUTCMonth()-n),t.toISOString().slice(0,10)}function ar(){const n=W(()=>P(ir,{from:sr(12)}),"cohorts");if(n.status==="loading")return e(K,{what:"cohorts"});if(n.status==="error")return e(E,{error:n.error,retry:n.reload});const t=n.data.cohortReport,r=t.cohorts.filter(a=>a.customers>0),s=Math.max(0,...r.map(a=>a.periods.length));return e(H,{title:"Cohorts",children:r.length===0?e(O,{children:"No first purchases in the last twelve months."}):e("article",{class:"card","aria-labelledby":"cohort-h",children:[e("h2",{id:"cohort-h",children:"Retention by month of first purchase"}),e("p",{class:"muted small",children:"Each row is the customers who first bought in that month; each cell, the share of them who bought again that many months later (month 0 is their first)."}),e(Qt,{label:`Monthly retention of ${r.length} cohorts`,columns:Array.from({length:s},(a,o)=>`M${o}`),rows:r.map(a=>({label:a.cohort,note:`(${a.customers})`,cells:a.periods.map(o=>({value:o.retention,text:B(o.retention),title:`${a.cohort}, month ${o.periodNumber} (${o.period}): ${o.activeCustomers} of ${a.customers} bought (${B(o.retention,1)}); ${I(o.cumulativeRevenuePerCustomer,t.currency)} revenue per customer so far`}))}))})]})})}const or=T(`
  query Offers {
    offers(first: 200) {
      nodes {
        id
        name
        description
        kind
        percent
        amount
        currency
        points
        pointsMultiplier
        benefit
        status
        issued
        redemptions
        spent
        budget
        campaignId
        validUntil
        voucherValidDays
        version
      }
    }
    campaigns(first: 100) {
      nodes {
        id
        name
      }
    }
    segments(first: 100) {
      nodes {
        id
        name
      }
    }
  }
`),lr=T(`
  mutation CreateOffer($input: OfferInput!, $key: String) {
    createOffer(input: $input, idempotencyKey: $key) {
      id
      name
      status
    }
  }
`),cr=T(`
  mutation SetOfferStatus($id: ID!, $patch: JSON!, $version: Int) {
    updateOffer(id: $id, patch: $patch, ifVersion: $version) {
      id
      status
    }
  }
`),dr=T(`
  mutation IssueOffer($id: ID!, $input: IssueOfferInput!, $key: String) {
    issueOffer(id: $id, input: $input, idempotencyKey: $key) {
      issued
      alreadyHolding
      ineligible
    }
  }
`);function Hn(n){switch(n.kind){case"percent_discount":return`${n.percent??"?"} % off`;case"fixed_discount":return`${I(n.amount,n.currency??void 0)} off`;case"bonus_points":return n.pointsMultiplier!=null?`${n.pointsMultiplier}× points`:`${A(n.points??0)} bonus points`;case"free_reward":return"a free reward";case"free_shipping":return"free shipping";default:return n.benefit??"a custom benefit"}}const ur=[["percent_discount","Percent off"],["fixed_discount","Amount off"],["bonus_points","Bonus points"],["free_shipping","Free shipping"],["custom","Custom benefit"]];function hr({campaigns:n,currency:t,done:r}){const[s,a]=w(""),[o,c]=w("percent_discount"),[m,u]=w("10"),[l,y]=w(""),[h,i]=w(""),[f,d]=w("30"),[_,$]=w("paused"),[x,b]=w(!1),p=async v=>{v.preventDefault(),b(!0);try{const k=Number(m),g={name:s.trim(),kind:o,status:_,campaignId:h||null,voucherValidDays:f?Number(f):null,percent:o==="percent_discount"?Math.round(k):null,amount:o==="fixed_discount"?String(Math.round(k*100)):null,currency:o==="fixed_discount"?t:null,points:o==="bonus_points"?String(Math.round(k)):null,benefit:o==="custom"?l.trim():null},S=await P(lr,{input:g,key:se()});r(`Offer “${S.createOffer.name}” created (${S.createOffer.status==="active"?"active":"paused: activate it when ready"}).`,!0),a("")}catch(k){r(Y(k),!1)}finally{b(!1)}};return e("form",{onSubmit:v=>{p(v)},class:"rule",children:[e("label",{children:["Offer name",e("input",{name:"offer-name",required:!0,maxLength:200,value:s,onInput:v=>a(v.currentTarget.value)})]}),e("label",{children:["Benefit",e("select",{name:"offer-kind",value:o,onChange:v=>c(v.currentTarget.value),children:ur.map(([v,k])=>e("option",{value:v,children:k},v))})]}),o==="percent_discount"&&e("label",{children:["Percent off (1 to 99)",e("input",{type:"number",name:"offer-percent",min:1,max:99,required:!0,value:m,onInput:v=>u(v.currentTarget.value)})]}),o==="fixed_discount"&&e("label",{children:["Amount off (",t,")",e("input",{type:"number",name:"offer-amount",min:.01,step:.01,required:!0,value:m,onInput:v=>u(v.currentTarget.value)})]}),o==="bonus_points"&&e("label",{children:["Bonus points",e("input",{type:"number",name:"offer-points",min:1,step:1,required:!0,value:m,onInput:v=>u(v.currentTarget.value)})]}),o==="custom"&&e("label",{children:["The benefit in words",e("input",{name:"offer-benefit",required:!0,maxLength:500,value:l,onInput:v=>y(v.currentTarget.value)})]}),e("label",{children:["Campaign (redemptions are attributed to it)",e("select",{name:"offer-campaign",value:h,onChange:v=>i(v.currentTarget.value),children:[e("option",{value:"",children:"None"}),n.map(v=>e("option",{value:v.id,children:v.name},v.id))]})]}),e("label",{children:["Vouchers valid for (days; empty: until the offer ends)",e("input",{type:"number",name:"offer-valid-days",min:1,max:3650,value:f,onInput:v=>d(v.currentTarget.value)})]}),e("label",{children:["Start",e("select",{name:"offer-status",value:_,onChange:v=>$(v.currentTarget.value),children:[e("option",{value:"paused",children:"Paused (activate later)"}),e("option",{value:"active",children:"Active now"})]})]}),e("button",{type:"submit",disabled:x||!s.trim(),children:"Create offer"})]})}function mr({offers:n,segments:t,done:r}){const s=n.filter(f=>f.status==="active"),[a,o]=w(""),[c,m]=w(""),[u,l]=w(!1);if(s.length===0)return e(O,{children:"Activate an offer to issue it."});if(t.length===0)return e(O,{children:["Offers are issued to a segment’s members: ",e(F,{href:"/segments",children:"build one first"}),"."]});const y=s.find(f=>f.id===a)??s[0],h=t.find(f=>f.id===c)??t[0],i=async f=>{if(f.preventDefault(),!(!y||!h)){l(!0);try{const d=(await P(dr,{id:y.id,input:{segmentId:h.id},key:se()})).issueOffer;r(`“${y.name}” issued to ${A(d.issued)} members of “${h.name}”`+(d.alreadyHolding>0?`; ${A(d.alreadyHolding)} already held an open voucher`:"")+(d.ineligible>0?`; ${A(d.ineligible)} did not meet its conditions`:"")+".",!0)}catch(d){r(Y(d),!1)}finally{l(!1)}}};return e("form",{onSubmit:f=>{i(f)},class:"rule",children:[e("label",{children:["Offer",e("select",{name:"issue-offer",value:y?.id,onChange:f=>o(f.currentTarget.value),children:s.map(f=>e("option",{value:f.id,children:f.name},f.id))})]}),e("label",{children:["Segment",e("select",{name:"issue-segment",value:h?.id,onChange:f=>m(f.currentTarget.value),children:t.map(f=>e("option",{value:f.id,children:f.name},f.id))})]}),e("p",{class:"small muted",children:"Each member gets a personal voucher code; those who already hold one of this offer, or do not meet its conditions, are left out."}),e("button",{type:"submit",disabled:u,children:"Issue vouchers"})]})}function pr(){const n=de(),t=fe(n,"offers"),r=W(()=>P(or),"offers"),[s,a]=w(null),[o,c]=w(!1);if(r.status==="loading")return e(K,{what:"offers"});if(r.status==="error")return e(E,{error:r.error,retry:r.reload});const{offers:m,campaigns:u,segments:l}=r.data,y=new Map(u.nodes.map(d=>[d.id,d.name])),h=(d,_)=>{a({ok:_,text:d}),_&&r.reload()},i=async(d,_)=>{c(!0),a(null);try{await P(cr,{id:d.id,patch:{status:_},version:d.version}),h(`“${d.name}” is ${_==="active"?"active: it can be issued and redeemed":"paused: no issue, no redemption"}.`,!0)}catch($){h(Y($),!1),r.reload()}finally{c(!1)}},f=[...m.nodes].reverse();return e(H,{title:"Offers",children:[e(Je,{notice:s,testid:"offer-notice"}),e("div",{class:"grid",children:[e("article",{class:"card wide","aria-labelledby":"offers-h",children:[e("h2",{id:"offers-h",children:"All offers"}),f.length===0?e(O,{children:["No offer yet",t?": create one below.":"."]}):e("table",{class:"list","aria-labelledby":"offers-h",children:[e("thead",{children:e("tr",{children:[e("th",{scope:"col",children:"Offer"}),e("th",{scope:"col",children:"Status"}),e("th",{scope:"col",children:"Campaign"}),e("th",{scope:"col",class:"num",children:"Issued"}),e("th",{scope:"col",class:"num",children:"Redeemed"}),e("th",{scope:"col",children:"Redemption rate"}),e("th",{scope:"col",class:"num",children:"Cost"}),t&&e("th",{scope:"col",children:e("span",{class:"muted small",children:"Action"})})]})}),e("tbody",{children:f.map(d=>{const _=d.issued>0?d.redemptions/d.issued:null;return e("tr",{"data-offer":d.name,children:[e("td",{children:[e("strong",{children:d.name}),e("div",{class:"small muted",children:[Hn(d),d.voucherValidDays?` · vouchers valid ${d.voucherValidDays} days`:"",d.validUntil?` · ends ${M(d.validUntil)}`:""]})]}),e("td",{children:e("span",{class:`flag ${d.status==="active"?"ok":"warn"}`,children:d.status==="active"?"Active":"Paused"})}),e("td",{children:d.campaignId?e(F,{href:`/campaigns/${encodeURIComponent(d.campaignId)}`,children:y.get(d.campaignId)??"its campaign"}):"—"}),e("td",{class:"num",children:A(d.issued)}),e("td",{class:"num",children:A(d.redemptions)}),e("td",{children:_==null?e("span",{class:"muted",children:"none issued"}):e("span",{class:"spark-row",children:[e(En,{value:_,label:`${d.name} redemption rate`,tone:_>=.2?"good":_>=.05?"warn":"bad"})," ",B(_,1)]})}),e("td",{class:"num",children:[I(d.spent),d.budget!=null?e("div",{class:"small muted",children:["of ",I(d.budget)]}):null]}),t&&e("td",{children:d.status==="active"?e("button",{type:"button",class:"secondary",disabled:o,onClick:()=>{i(d,"paused")},children:["Pause “",d.name,"”"]}):e("button",{type:"button",disabled:o,onClick:()=>{i(d,"active")},children:["Activate “",d.name,"”"]})})]},d.id)})})]}),e("p",{class:"small muted",children:"Redemption rate: vouchers redeemed by an order over vouchers issued. Cost: discounts given plus the offer’s cost per redemption."})]}),t&&e("article",{class:"card","aria-labelledby":"new-offer-h",children:[e("h2",{id:"new-offer-h",children:"New offer"}),e(hr,{campaigns:u.nodes,currency:n.currency,done:h})]}),t&&e("article",{class:"card","aria-labelledby":"issue-h",children:[e("h2",{id:"issue-h",children:"Issue to a segment"}),e(mr,{offers:m.nodes,segments:l.nodes,done:h})]})]})]})}const fr=T(`
  query Customer360($id: ID!) {
    account(id: $id) {
      id
      name
      kind
      emails
      phones
      tags
      lifecycleStage
      acquisitionChannel
      createdAt
      metrics {
        currency
        ordersCount
        revenue
        margin
        averageOrderValue
        firstOrderAt
        lastOrderAt
        repeatPurchases
        rfm {
          r
          f
          m
          segment
          label
        }
        pAlive
        churnProbability
        riskBand
        expectedOrders90d
        expectedOrderValue
        clv
        spendModel
        predictionsUnavailable
      }
      interactions(first: 12) {
        nodes {
          id
          type
          channel
          direction
          subject
          occurredAt
        }
      }
      orders(first: 12) {
        nodes {
          id
          externalId
          amount
          currency
          refundedAmount
          status
          occurredAt
          channel
        }
      }
      nextBestOffers {
        offer {
          id
          name
          kind
          percent
          amount
          currency
          points
          pointsMultiplier
          benefit
        }
        expectedIncrementalMargin
        explanation
      }
      recommendations(limit: 5) {
        data {
          sku
          name
          reason
          explanation
        }
      }
      satisfaction {
        nps
        npsCategory
        npsAt
        csat
        csatAt
        ces
        cesAt
        responses
        openComplaints
      }
      feedback(first: 5) {
        nodes {
          id
          nps
          csat
          ces
          touchpoint
          channel
          comment
          occurredAt
        }
      }
      complaints(first: 5) {
        nodes {
          id
          subject
          status
          severity
          openedAt
          firstResponseBreached
          resolutionBreached
        }
      }
    }
    accountOffers(accountId: $id, stateFilter: "all", first: 8) {
      nodes {
        voucher {
          id
          code
          state
          validUntil
          issuedAt
          redeemedAt
        }
        offer {
          name
        }
      }
    }
    loyaltyBalance(accountId: $id) {
      available
      pending
      expiringIn30Days
      lifetimeEarned
      tier {
        name
      }
      nextTier {
        name
        missing
      }
    }
    loyaltyProgram {
      currency
      qualification
    }
    loyaltyLedger(accountId: $id, first: 6) {
      nodes {
        id
        kind
        points
        reason
        occurredAt
      }
    }
    deals(first: 20, filter: { accountId: $id, status: "open" }) {
      nodes {
        id
        title
        amount
        currency
        stageId
        expectedCloseOn
      }
    }
    pipelines(first: 20) {
      nodes {
        stages {
          id
          name
        }
      }
    }
  }
`),yr={healthy:"Healthy: very likely still buying.",watch:"Watch: buying less often than their own habit suggests.",at_risk:"At risk: a long silence for someone who used to buy; worth a nudge now.",lost:"Lost: most probably no longer a customer."},gn={no_orders:"has not bought anything yet, so there is nothing to predict from",model_not_fitted:"has no predictions yet because the value model has not been fitted (an admin can fit it)",spend_model_not_fitted:"has purchase predictions but no money ones: the spend model was fitted when nobody had bought twice"};function gr(n,t){if(t.predictionsUnavailable&&t.pAlive==null)return[`${n} ${gn[t.predictionsUnavailable]??"has no predictions yet"}.`];const r=[];return t.pAlive!=null&&r.push(`There is a ${B(t.pAlive)} chance that ${n} is still an active customer (so a ${B(t.churnProbability??1-t.pAlive)} churn probability), judged from how often they bought (${t.repeatPurchases} repeat purchase days) and how long it has been since the last order (${Fn(t.lastOrderAt)}).`),t.expectedOrders90d!=null&&r.push(`In the next 90 days we expect about ${t.expectedOrders90d.toFixed(1)} orders from them.`),t.clv!=null?r.push(`Their customer lifetime value is ${I(t.clv,t.currency)}: the margin we expect them to bring over the next 12 months, discounted to today${t.expectedOrderValue!=null?`, at about ${I(t.expectedOrderValue,t.currency)} an order`:""}.`):t.predictionsUnavailable&&r.push(`No CLV: ${n} ${gn[t.predictionsUnavailable]??"has no money predictions"}.`),r}function vr(n){return n==="healthy"?"good":n==="watch"?"warn":"bad"}function _r({id:n}){const t=W(()=>(performance.clearMarks("customer-360:start"),performance.mark("customer-360:start"),P(fr,{id:n})),n);if(G(()=>{t.status==="ok"&&requestAnimationFrame(()=>{performance.clearMeasures("customer-360"),performance.measure("customer-360","customer-360:start")})},[t.status,n]),t.status==="loading")return e(K,{what:"the customer"});if(t.status==="error")return e(E,{error:t.error,retry:t.reload});const{account:r,loyaltyBalance:s,loyaltyProgram:a,loyaltyLedger:o,deals:c,pipelines:m,accountOffers:u}=t.data;if(!r)return e(H,{title:"Customer not found",children:e(O,{children:["There is no such customer in this workspace. ",e(F,{href:"/customers",children:"Back to customers"}),"."]})});const l=r.metrics,y=new Map(m.nodes.flatMap(i=>i.stages.map(f=>[f.id,f.name]))),h=[...r.interactions.nodes.map(i=>({at:i.occurredAt,key:`i${i.id}`,what:`${R(i.type)}${i.channel?` · ${i.channel}`:""}${i.direction?` · ${i.direction}`:""}`,text:i.subject??""})),...r.orders.nodes.map(i=>({at:i.occurredAt,key:`o${i.id}`,what:`Order${i.channel?` · ${i.channel}`:""}`,text:`${I(i.amount,i.currency)}${i.status!=="completed"?` (${R(i.status).toLowerCase()})`:""}`}))].sort((i,f)=>i.at<f.at?1:-1);return e(H,{title:r.name,children:[e("p",{class:"muted",children:[R(r.kind)," · ",R(r.lifecycleStage)," · customer since ",M(r.createdAt),r.acquisitionChannel?` · came through ${r.acquisitionChannel}`:"",r.emails.length>0?` · ${r.emails.join(", ")}`:""]}),e("div",{class:"grid",children:[e("article",{class:"card wide","aria-labelledby":"value-h",children:[e("h2",{id:"value-h",children:"Value"}),e("dl",{class:"kpis",children:[e("div",{children:[e("dt",{children:"CLV (12 months)"}),e("dd",{"data-testid":"clv",children:I(l.clv,l.currency)})]}),e("div",{children:[e("dt",{children:"Revenue to date"}),e("dd",{children:I(l.revenue,l.currency)})]}),e("div",{children:[e("dt",{children:"Orders"}),e("dd",{children:A(l.ordersCount)})]}),e("div",{children:[e("dt",{children:"Average order"}),e("dd",{children:I(l.averageOrderValue,l.currency)})]}),e("div",{children:[e("dt",{children:"Last order"}),e("dd",{children:Fn(l.lastOrderAt)})]})]}),l.pAlive!=null&&e("div",{class:"meters",children:[e("span",{children:"Still active"})," ",e(En,{value:l.pAlive,label:"Probability still active",tone:vr(l.riskBand)})," ",e("strong",{children:B(l.pAlive)})]}),e("div",{class:"explain","data-testid":"explain",children:gr(r.name,l).map(i=>e("p",{children:i},i))})]}),e("article",{class:"card","aria-labelledby":"rfm-h",children:[e("h2",{id:"rfm-h",children:"RFM and risk"}),l.rfm?e(j,{children:[e("p",{class:"big",children:l.rfm.label}),e("p",{children:["Recency ",l.rfm.r,"/5 · Frequency ",l.rfm.f,"/5 · Monetary ",l.rfm.m,"/5"]})]}):e("p",{class:"muted",children:"Not scored yet (no orders, or the breakpoints are not fitted)."}),l.riskBand&&e("p",{children:[e("span",{class:`band ${l.riskBand}`,children:R(l.riskBand)})," ",yr[l.riskBand]??""]})]}),e("article",{class:"card","aria-labelledby":"loyalty-h",children:[e("h2",{id:"loyalty-h",children:"Loyalty"}),s?e(j,{children:[e("p",{class:"big",children:[A(s.available)," points"]}),e("p",{children:[s.tier?`${s.tier.name} tier`:"No tier yet",s.nextTier?` · ${a?.qualification==="spend"?`${I(s.nextTier.missing,a.currency)} more spend`:`${A(s.nextTier.missing)} more points`} to ${s.nextTier.name}`:""]}),e("p",{class:"muted small",children:[A(s.pending)," pending · ",A(s.expiringIn30Days)," expiring within 30 days · ",A(s.lifetimeEarned)," earned in all"]}),o.nodes.length>0&&e("table",{class:"list compact","aria-label":"Latest loyalty ledger entries",children:[e("thead",{children:e("tr",{children:[e("th",{scope:"col",children:"Date"}),e("th",{scope:"col",children:"Entry"}),e("th",{scope:"col",class:"num",children:"Points"})]})}),e("tbody",{children:o.nodes.map(i=>e("tr",{children:[e("td",{children:M(i.occurredAt)}),e("td",{children:[R(i.kind),i.reason?` · ${i.reason}`:""]}),e("td",{class:"num",children:X(i.points)>0?`+${A(i.points)}`:A(i.points)})]},i.id))})]})]}):e("p",{class:"muted",children:"Not a loyalty member (or no programme)."})]}),e("article",{class:"card","aria-labelledby":"deals-h",children:[e("h2",{id:"deals-h",children:"Open deals"}),c.nodes.length===0?e("p",{class:"muted",children:"No open deal."}):e("ul",{class:"plain",children:c.nodes.map(i=>e("li",{children:[e("strong",{children:i.title})," · ",I(i.amount,i.currency)," · ",y.get(i.stageId)??"stage",i.expectedCloseOn?` · closes ${M(i.expectedCloseOn)}`:""]},i.id))})]}),e("article",{class:"card","aria-labelledby":"offers-h",children:[e("h2",{id:"offers-h",children:"Offers and vouchers"}),r.nextBestOffers.length===0?e("p",{class:"muted",children:"No active offer this customer may get now."}):e(j,{children:[e("h3",{class:"small",children:"Next best offers"}),e("ol",{class:"plain","data-testid":"next-best-offers",children:r.nextBestOffers.slice(0,3).map(i=>e("li",{children:[e("strong",{children:i.offer.name})," (",Hn(i.offer),") · ",I(Math.round(i.expectedIncrementalMargin))," expected extra margin",e("div",{class:"small muted",children:i.explanation})]},i.offer.id))})]}),u.nodes.length>0&&e(j,{children:[e("h3",{class:"small",children:"Vouchers"}),e("ul",{class:"plain","aria-label":"Vouchers",children:u.nodes.map(i=>e("li",{children:[e("code",{children:i.voucher.code})," · ",i.offer.name," · ",R(i.voucher.state),i.voucher.redeemedAt?` ${M(i.voucher.redeemedAt)}`:i.voucher.validUntil?` · valid until ${M(i.voucher.validUntil)}`:""]},i.voucher.id))})]})]}),e("article",{class:"card","aria-labelledby":"feedback-h",children:[e("h2",{id:"feedback-h",children:"Feedback"}),r.satisfaction?e(j,{children:[e("dl",{class:"kpis",children:[e("div",{children:[e("dt",{children:"Latest NPS"}),e("dd",{children:[r.satisfaction.nps??"—",r.satisfaction.npsCategory?e("span",{class:`band ${r.satisfaction.npsCategory==="promoter"?"healthy":r.satisfaction.npsCategory==="passive"?"watch":"at_risk"}`,children:R(r.satisfaction.npsCategory)}):null]})]}),e("div",{children:[e("dt",{children:"CSAT"}),e("dd",{children:r.satisfaction.csat!=null?`${r.satisfaction.csat}/5`:"—"})]}),e("div",{children:[e("dt",{children:"Effort"}),e("dd",{children:r.satisfaction.ces!=null?`${r.satisfaction.ces}/7`:"—"})]})]}),e("p",{class:"muted small",children:[A(r.satisfaction.responses)," answers · ",A(r.satisfaction.openComplaints)," complaints being worked on"]})]}):e("p",{class:"muted",children:"No survey answer or complaint yet."}),r.feedback.nodes.length>0&&e("ul",{class:"plain","aria-label":"Survey answers",children:r.feedback.nodes.map(i=>e("li",{children:[e("span",{class:"muted",children:M(i.occurredAt)})," ",R(i.touchpoint),i.nps!=null?` · NPS ${i.nps}`:"",i.csat!=null?` · CSAT ${i.csat}`:"",i.ces!=null?` · CES ${i.ces}`:"",i.comment?e("div",{class:"small",children:["“",i.comment,"”"]}):null]},i.id))}),r.complaints.nodes.length>0&&e(j,{children:[e("h3",{class:"small",children:"Complaints"}),e("ul",{class:"plain","aria-label":"Complaints",children:r.complaints.nodes.map(i=>e("li",{children:[e(F,{href:`/feedback/complaints/${encodeURIComponent(i.id)}`,children:i.subject})," · ",R(i.status)," · ",M(i.openedAt),i.firstResponseBreached||i.resolutionBreached?e("span",{class:"flag bad",children:"SLA breached"}):null]},i.id))})]})]}),r.recommendations.data.length>0&&e("article",{class:"card","aria-labelledby":"reco-h",children:[e("h2",{id:"reco-h",children:"Recommended products"}),e("ul",{class:"plain",children:r.recommendations.data.map(i=>e("li",{children:[e("strong",{children:i.name??i.sku})," · ",i.reason==="due_again"?"due again":"bought together",e("div",{class:"small muted",children:i.explanation})]},i.sku))})]}),e("article",{class:"card wide","aria-labelledby":"timeline-h",children:[e("h2",{id:"timeline-h",children:"Timeline"}),h.length===0?e("p",{class:"muted",children:"Nothing has happened with this customer yet."}):e("ol",{class:"timeline",children:h.map(i=>e("li",{children:[e("time",{dateTime:i.at,children:M(i.at)})," ",e("strong",{children:i.what})," ",i.text]},i.key))})]}),e("article",{class:"card wide","aria-labelledby":"orders-h",children:[e("h2",{id:"orders-h",children:"Recent orders"}),r.orders.nodes.length===0?e("p",{class:"muted",children:"No orders."}):e("table",{class:"list","aria-labelledby":"orders-h",children:[e("thead",{children:e("tr",{children:[e("th",{scope:"col",children:"Date"}),e("th",{scope:"col",children:"Reference"}),e("th",{scope:"col",children:"Channel"}),e("th",{scope:"col",children:"Status"}),e("th",{scope:"col",class:"num",children:"Amount"})]})}),e("tbody",{children:r.orders.nodes.map(i=>e("tr",{children:[e("td",{children:M(i.occurredAt)}),e("td",{children:i.externalId??"—"}),e("td",{children:i.channel??"—"}),e("td",{children:R(i.status)}),e("td",{class:"num",children:I(i.amount,i.currency)})]},i.id))})]})]})]})]})}const br=T(`
  query Customers($first: Int!, $after: String, $filter: AccountFilterInput, $withSegments: Boolean!) {
    accounts(first: $first, after: $after, filter: $filter, sort: "name") {
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        id
        name
        kind
        lifecycleStage
        emails
        metrics {
          ordersCount
          revenue
          clv
          riskBand
          rfm {
            label
          }
        }
      }
    }
    segments(first: 100) @include(if: $withSegments) {
      nodes {
        id
        name
      }
    }
  }
`),wr=50;function $r(){const[n,t]=w(""),[r,s]=w(""),[a,o]=w(""),[c,m]=w(""),[u,l]=w(""),[y,h]=w(null),[i,f]=w([]),[d,_]=w(null),[$,x]=w(!1),[b,p]=w("loading"),[v,k]=w(null),g=he(0),S=he(null),U=he(!1),z=he({generation:0,cursor:null});G(()=>{const C=setTimeout(()=>s(n.trim()),250);return()=>clearTimeout(C)},[n]);const V=async C=>{const te=g.current;U.current=!0;try{const ue={...r?{q:r}:{},...a?{segmentId:a}:{},...c?{lifecycleStage:c}:{},...u?{kind:u}:{}},Q=await P(br,{first:wr,after:C,filter:ue,withSegments:y===null});if(te!==g.current)return;Q.segments&&h(Q.segments.nodes),f(ye=>{if(!C)return Q.accounts.nodes;const Wn=new Set(ye.map(Pe=>Pe.id));return[...ye,...Q.accounts.nodes.filter(Pe=>!Wn.has(Pe.id))]}),z.current={generation:te,cursor:Q.accounts.pageInfo.endCursor??null},_(Q.accounts.pageInfo.endCursor??null),x(Q.accounts.pageInfo.hasNextPage),p("ok")}catch(ue){if(te!==g.current)return;k(ue),p("error")}finally{te===g.current&&(U.current=!1)}};return G(()=>{g.current++,U.current=!1,z.current={generation:g.current,cursor:null},x(!1),_(null),p("loading"),f([]),V(null)},[r,a,c,u]),G(()=>{const C=S.current;if(!C||!$)return;const te=new IntersectionObserver(ue=>{const Q=z.current;ue.some(ye=>ye.isIntersecting)&&!U.current&&Q.cursor&&Q.generation===g.current&&V(Q.cursor)});return te.observe(C),()=>te.disconnect()},[$,d,i.length]),e(H,{title:"Customers",children:[e("form",{class:"filters",role:"search",onSubmit:C=>C.preventDefault(),children:[e("label",{children:["Search",e("input",{type:"search",name:"q",placeholder:"Name, e-mail or phone",value:n,onInput:C=>t(C.currentTarget.value)})]}),e("label",{children:["Segment",e("select",{name:"segment",value:a,onChange:C=>o(C.currentTarget.value),children:[e("option",{value:"",children:"All customers"}),(y??[]).map(C=>e("option",{value:C.id,children:C.name},C.id))]})]}),e("label",{children:["Stage",e("select",{name:"stage",value:c,onChange:C=>m(C.currentTarget.value),children:[e("option",{value:"",children:"Any stage"}),["lead","prospect","customer","churned"].map(C=>e("option",{value:C,children:R(C)},C))]})]}),e("label",{children:["Kind",e("select",{name:"kind",value:u,onChange:C=>l(C.currentTarget.value),children:[e("option",{value:"",children:"People and organizations"}),e("option",{value:"person",children:"People"}),e("option",{value:"organization",children:"Organizations"})]})]})]}),b==="loading"&&e(K,{what:"customers"}),b==="error"&&e(E,{error:v,retry:()=>{V(null)}}),b==="ok"&&i.length===0&&e(O,{children:["No customer matches ",r?`“${r}”`:"this filter","."]}),i.length>0&&e("table",{class:"list","aria-label":"Customers",children:[e("thead",{children:e("tr",{children:[e("th",{scope:"col",children:"Name"}),e("th",{scope:"col",children:"Stage"}),e("th",{scope:"col",children:"RFM segment"}),e("th",{scope:"col",class:"num",children:"Orders"}),e("th",{scope:"col",class:"num",children:"Revenue"}),e("th",{scope:"col",class:"num",children:"CLV (12 months)"}),e("th",{scope:"col",children:"Risk"})]})}),e("tbody",{children:i.map(C=>e("tr",{children:[e("td",{children:[e(F,{href:`/customers/${encodeURIComponent(C.id)}`,children:C.name}),e("div",{class:"muted small",children:C.emails[0]??R(C.kind)})]}),e("td",{children:R(C.lifecycleStage)}),e("td",{children:C.metrics.rfm?.label??"—"}),e("td",{class:"num",children:C.metrics.ordersCount}),e("td",{class:"num",children:I(C.metrics.revenue)}),e("td",{class:"num",children:I(C.metrics.clv)}),e("td",{children:C.metrics.riskBand?e("span",{class:`band ${C.metrics.riskBand}`,children:R(C.metrics.riskBand)}):"—"})]},C.id))})]}),e("div",{ref:S,class:"sentinel","aria-hidden":"true"}),$&&b==="ok"&&e("p",{class:"muted small",children:"Scroll for more…"})]})}const kr=T(`
  query Feedback {
    satisfactionReport(period: "month", detractorsLimit: 5) {
      currency
      startsAt
      endsBefore
      overall {
        ...ScoreParts
      }
      overTime {
        key
        scores {
          ...ScoreParts
        }
      }
      byTouchpoint {
        key
        scores {
          ...ScoreParts
        }
      }
      byChannel {
        key
        scores {
          ...ScoreParts
        }
      }
      complaints {
        opened
        resolved
        active
        firstResponseSlaMet
        resolutionSlaMet
        firstResponseMinutesMedian
        resolutionMinutesMedian
      }
      detractorsAtRisk {
        accountId
        name
        nps
        valueAtRisk
      }
    }
    complaints(first: 50) {
      nodes {
        ...ComplaintRow
      }
    }
  }
  fragment ComplaintRow on Complaint {
    id
    accountId
    subject
    category
    severity
    status
    openedAt
    resolutionDueAt
    firstResponseBreached
    resolutionBreached
  }
  fragment ScoreParts on Scores {
    npsResponses
    promoters
    passives
    detractors
    nps
    npsLow
    npsHigh
    csatResponses
    csatAverage
    csatSatisfiedShare
    cesResponses
    cesAverage
  }
`),Cr=T(`
  query Complaints($status: String) {
    complaints(first: 50, status: $status) {
      nodes {
        ...ComplaintRow
      }
    }
  }
`),Sr=T(`
  query ComplaintDetail($id: ID!) {
    complaint(id: $id) {
      id
      accountId
      orderId
      feedbackId
      category
      severity
      channel
      subject
      description
      status
      openedAt
      firstResponseDueAt
      resolutionDueAt
      firstRespondedAt
      resolvedAt
      closedAt
      firstResponseBreached
      resolutionBreached
      outcome
    }
    complaintHistory(id: $id) {
      id
      kind
      fromStatus
      toStatus
      body
      actorType
      occurredAt
    }
  }
`),Ar=T(`
  mutation ResolveComplaint($id: ID!, $input: ResolveComplaintInput!, $key: String) {
    resolveComplaint(id: $id, input: $input, idempotencyKey: $key) {
      complaint {
        id
        status
      }
      compensations {
        kind
        points
        amount
        currency
        paidNow
      }
    }
  }
`),Xe=new Set(["open","in_progress","waiting_for_customer","reopened"]);function Ne(n){if(n.nps==null)return"no NPS answers";const t=n.npsLow!=null&&n.npsHigh!=null?` (95 % interval ${Math.round(n.npsLow)} to ${Math.round(n.npsHigh)})`:"";return`NPS ${Math.round(n.nps)}${t}, ${A(n.npsResponses)} answers`}function vn(n){return n==null?"—":n<90?`${Math.round(n)} min`:n<2880?`${(n/60).toFixed(1)} h`:`${(n/1440).toFixed(1)} days`}function Kn({c:n}){const t=Xe.has(n.status);return e(j,{children:[n.firstResponseBreached&&e("span",{class:"flag bad",children:"First response late"}),n.resolutionBreached&&e("span",{class:"flag bad",children:t?"Resolution overdue":"Resolved late"}),!n.firstResponseBreached&&!n.resolutionBreached&&e("span",{class:"flag ok",children:"Within SLA"})]})}const xr=["open","in_progress","waiting_for_customer","reopened","resolved","closed"];function Rr({complaint:n}){return n?e(Pr,{id:n}):e(Ir,{})}function Ir(){const n=W(()=>P(kr),"feedback");if(n.status==="loading")return e(K,{what:"feedback"});if(n.status==="error")return e(E,{error:n.error,retry:n.reload});const{satisfactionReport:t,complaints:r}=n.data,s=t.overall,a=t.overTime.map(u=>({label:u.key,value:u.scores.nps??null,low:u.scores.npsLow??null,high:u.scores.npsHigh??null,text:Ne(u.scores)})),o=t.overTime.map(u=>({label:u.key,value:u.scores.csatAverage??null,text:u.scores.csatAverage==null?"no CSAT answers":`CSAT ${u.scores.csatAverage.toFixed(2)} of 5, ${A(u.scores.csatResponses)} answers`})),c=u=>u.filter(l=>l.scores.nps!=null).map(l=>({label:R(l.key),estimate:l.scores.nps??0,low:l.scores.npsLow??null,high:l.scores.npsHigh??null,text:Ne(l.scores)})),m=t.complaints;return e(H,{title:"Feedback",children:[s.npsResponses+s.csatResponses+s.cesResponses===0?e(O,{children:"No survey answers in the last 12 months."}):e("div",{class:"grid",children:[e("article",{class:"card wide","aria-labelledby":"scores-h",children:[e("h2",{id:"scores-h",children:"Scores, last 12 months"}),e("dl",{class:"kpis",children:[e("div",{children:[e("dt",{children:"NPS"}),e("dd",{"data-testid":"nps",children:s.nps==null?"—":Math.round(s.nps)})]}),e("div",{children:[e("dt",{children:"Promoters / passives / detractors"}),e("dd",{children:[A(s.promoters)," / ",A(s.passives)," / ",A(s.detractors)]})]}),e("div",{children:[e("dt",{children:"CSAT (1-5)"}),e("dd",{children:s.csatAverage==null?"—":s.csatAverage.toFixed(2)})]}),e("div",{children:[e("dt",{children:"Satisfied (4-5)"}),e("dd",{children:B(s.csatSatisfiedShare)})]}),e("div",{children:[e("dt",{children:"Effort (CES 1-7)"}),e("dd",{children:s.cesAverage==null?"—":s.cesAverage.toFixed(2)})]})]}),e("p",{class:"muted small",children:["NPS is the share of promoters (9-10) minus the share of detractors (0-6), from −100 to 100; ",Ne(s),". The band around the line is its 95 % interval: wide when few answered."]}),e("h3",{class:"small",children:"NPS per month"}),e(fn,{points:a,label:"NPS per month with its 95 % interval",min:-100,max:100,zero:0}),e("h3",{class:"small",children:"CSAT per month"}),e(fn,{points:o,label:"Average CSAT per month, 1 to 5",min:1,max:5})]}),e("article",{class:"card wide","aria-labelledby":"tp-h",children:[e("div",{class:"halves",children:[e("div",{children:[e("h2",{id:"tp-h",children:"NPS by touchpoint"}),c(t.byTouchpoint).length===0?e(O,{children:"No NPS answers."}):e(Le,{rows:c(t.byTouchpoint),label:"NPS by touchpoint with 95 % intervals"})]}),e("div",{children:[e("h2",{id:"ch-h",children:"NPS by survey channel"}),c(t.byChannel).length===0?e(O,{children:"No NPS answers."}):e(Le,{rows:c(t.byChannel),label:"NPS by survey channel with 95 % intervals"})]})]}),e("p",{class:"muted small",children:"Each dot is a group’s NPS, the bar its 95 % interval; green when the whole interval is above zero."})]}),e("article",{class:"card","aria-labelledby":"sla-h",children:[e("h2",{id:"sla-h",children:"Complaints, last 12 months"}),e("dl",{class:"kpis",children:[e("div",{children:[e("dt",{children:"Opened"}),e("dd",{children:A(m.opened)})]}),e("div",{children:[e("dt",{children:"Still being worked on"}),e("dd",{children:A(m.active)})]}),e("div",{children:[e("dt",{children:"First response in time"}),e("dd",{children:B(m.firstResponseSlaMet)})]}),e("div",{children:[e("dt",{children:"Resolved in time"}),e("dd",{children:B(m.resolutionSlaMet)})]})]}),e("p",{class:"muted small",children:["Median first response ",vn(m.firstResponseMinutesMedian),", median resolution ",vn(m.resolutionMinutesMedian),"."]})]}),e("article",{class:"card","aria-labelledby":"det-h",children:[e("h2",{id:"det-h",children:"Detractors with the most value at risk"}),t.detractorsAtRisk.length===0?e(O,{children:"No detractor."}):e("ul",{class:"plain",children:t.detractorsAtRisk.map(u=>e("li",{children:[e(F,{href:`/customers/${encodeURIComponent(u.accountId)}`,children:u.name})," · NPS ",u.nps??"—"," · ",I(u.valueAtRisk,t.currency)," at risk"]},u.accountId))})]})]}),e(Dr,{first:r.nodes})]})}function Dr({first:n}){const[t,r]=w(""),s=W(()=>t?P(Cr,{status:t}).then(o=>o.complaints.nodes):Promise.resolve(n),`complaints:${t}`),a=s.data??[];return e("article",{class:"card wide complaints","aria-labelledby":"complaints-h",children:[e("div",{class:"row",children:[e("h2",{id:"complaints-h",children:"Complaints"}),e("label",{class:"inline",children:["Status",e("select",{name:"complaint-status",value:t,onChange:o=>r(o.currentTarget.value),children:[e("option",{value:"",children:"All"}),xr.map(o=>e("option",{value:o,children:R(o)},o))]})]})]}),s.status==="loading"?e(K,{what:"complaints"}):s.status==="error"?e(E,{error:s.error,retry:s.reload}):a.length===0?e(O,{children:["No complaint",t?" with this status":"","."]}):e("table",{class:"list","aria-label":"Complaints",children:[e("thead",{children:e("tr",{children:[e("th",{scope:"col",children:"Opened"}),e("th",{scope:"col",children:"Subject"}),e("th",{scope:"col",children:"Severity"}),e("th",{scope:"col",children:"Status"}),e("th",{scope:"col",children:"Service level"})]})}),e("tbody",{children:a.map(o=>e("tr",{"data-status":o.status,children:[e("td",{children:M(o.openedAt)}),e("td",{children:[e(F,{href:`/feedback/complaints/${encodeURIComponent(o.id)}`,children:o.subject}),e("div",{class:"small muted",children:R(o.category)})]}),e("td",{children:R(o.severity)}),e("td",{children:[R(o.status),Xe.has(o.status)?e("div",{class:"small muted",children:["due ",M(o.resolutionDueAt)]}):null]}),e("td",{children:e(Kn,{c:o})})]},o.id))})]})]})}function Pr({id:n}){const t=de(),r=W(()=>P(Sr,{id:n}),n),[s,a]=w(""),[o,c]=w(""),[m,u]=w(!1),[l,y]=w(null);if(r.status==="loading")return e(K,{what:"the complaint"});if(r.status==="error")return e(E,{error:r.error,retry:r.reload});const{complaint:h,complaintHistory:i}=r.data,f=fe(t,"complaints")&&Xe.has(h.status),d=async _=>{_.preventDefault(),u(!0),y(null);try{const $=o.trim()?String(Math.round(Number(o))):null,b=(await P(Ar,{id:h.id,input:{outcome:s.trim(),points:$},key:se()})).resolveComplaint.compensations.filter(p=>p.paidNow).map(p=>p.kind==="points"?`${A(p.points??0)} points credited`:p.kind==="refund"?`${I(p.amount,p.currency??void 0)} refunded`:"a voucher issued");y({ok:!0,text:`Complaint resolved${b.length?`: ${b.join(", ")}`:""}.`}),a(""),c(""),r.reload()}catch($){y({ok:!1,text:Y($)})}finally{u(!1)}};return e(H,{title:h.subject,actions:e("button",{type:"button",class:"secondary",onClick:()=>Ge("/feedback"),children:"All feedback"}),children:[e(Je,{notice:l,testid:"complaint-notice"}),e("p",{class:"muted",children:[R(h.category)," · ",R(h.severity)," severity",h.channel?` · through ${h.channel}`:""," · opened ",M(h.openedAt)," ·"," ",e(F,{href:`/customers/${encodeURIComponent(h.accountId)}`,children:"the customer’s page"})]}),e("div",{class:"grid",children:[e("article",{class:"card","aria-labelledby":"state-h",children:[e("h2",{id:"state-h",children:"Status"}),e("p",{class:"big","data-testid":"complaint-status",children:R(h.status)}),e("p",{children:e(Kn,{c:h})}),e("dl",{class:"kpis",children:[e("div",{children:[e("dt",{children:"First response due"}),e("dd",{class:"small",children:h.firstRespondedAt?`answered ${M(h.firstRespondedAt)}`:M(h.firstResponseDueAt)})]}),e("div",{children:[e("dt",{children:"Resolution due"}),e("dd",{class:"small",children:h.resolvedAt?`resolved ${M(h.resolvedAt)}`:M(h.resolutionDueAt)})]})]}),h.description&&e("p",{children:h.description}),h.outcome&&e("p",{children:[e("strong",{children:"Outcome:"})," ",h.outcome]}),h.feedbackId&&e("p",{class:"small muted",children:"Opened from a detractor’s survey answer."})]}),f&&e("article",{class:"card","aria-labelledby":"resolve-h",children:[e("h2",{id:"resolve-h",children:"Resolve"}),e("form",{class:"rule",onSubmit:_=>{d(_)},children:[e("label",{children:["What was done (outcome)",e("textarea",{name:"outcome",required:!0,maxLength:5e3,value:s,onInput:_=>a(_.currentTarget.value)})]}),e("label",{children:["Loyalty points as compensation (optional)",e("input",{type:"number",name:"points",min:1,step:1,value:o,onInput:_=>c(_.currentTarget.value)})]}),e("button",{type:"submit",disabled:m||!s.trim(),children:"Resolve complaint"})]})]}),e("article",{class:"card wide","aria-labelledby":"history-h",children:[e("h2",{id:"history-h",children:"History"}),i.length===0?e(O,{children:"Nothing happened yet."}):e("ol",{class:"timeline","aria-label":"Complaint history",children:i.map(_=>e("li",{children:[e("time",{dateTime:_.occurredAt,children:M(_.occurredAt)})," ",e("strong",{children:_.kind==="status"?`${_.fromStatus?`${R(_.fromStatus)} → `:""}${R(_.toStatus)}`:_.kind==="assigned"?"Assigned":_.kind==="compensation"?"Compensation":"Note"})," ",_.body??""," ",e("span",{class:"small muted",children:["by ",_.actorType==="api_key"?"an API key":_.actorType==="system"?"the system":"a user"]})]},_.id))})]})]})]})}const Tr=T(`
  query Loyalty {
    loyaltyProgram {
      currency
      active
      earnRate {
        numerator
        denominator
      }
      qualification
      qualificationWindowDays
      expiryMonths
      pendingDays
      tiers {
        name
        threshold
        multiplierPermille
        benefits
      }
    }
    loyaltyRewards(first: 100) {
      nodes {
        id
        name
        description
        pointsCost
        stock
        availableUntil
      }
    }
  }
`);function Mr(){const n=W(()=>P(Tr),"loyalty");if(n.status==="loading")return e(K,{what:"the loyalty programme"});if(n.status==="error")return e(E,{error:n.error,retry:n.reload});const{loyaltyProgram:t,loyaltyRewards:r}=n.data;if(!t)return e(H,{title:"Loyalty",children:e(O,{children:"There is no loyalty programme in this workspace yet."})});const s=a=>t.qualification==="spend"?I(a,t.currency):`${A(a)} points`;return e(H,{title:"Loyalty",children:e("div",{class:"grid",children:[e("article",{class:"card","aria-labelledby":"prog-h",children:[e("h2",{id:"prog-h",children:"Programme"}),e("p",{children:[t.active?"Active":"Paused (nothing is earned; balances can still be spent)",": ",t.earnRate.numerator," point",t.earnRate.numerator===1?"":"s"," for every ",I(t.earnRate.denominator,t.currency)," spent."]}),e("p",{children:["Points can be spent ",t.pendingDays," days after the order (the return window)",t.expiryMonths?` and expire ${t.expiryMonths} months after they were earned`:" and never expire","."]}),e("p",{children:["Tiers follow ",t.qualification==="spend"?"spend":"points earned"," over the last ",t.qualificationWindowDays," days."]})]}),e("article",{class:"card","aria-labelledby":"tiers-h",children:[e("h2",{id:"tiers-h",children:"Tiers"}),t.tiers.length===0?e(O,{children:"No tiers."}):e("ul",{class:"plain",children:t.tiers.map(a=>e("li",{children:[e("strong",{children:a.name})," from ",s(a.threshold)," · earns ×",(a.multiplierPermille/1e3).toFixed(2),a.benefits?e("div",{class:"small muted",children:a.benefits}):null]},a.name))})]}),e("article",{class:"card wide","aria-labelledby":"rewards-h",children:[e("h2",{id:"rewards-h",children:"Rewards"}),r.nodes.length===0?e(O,{children:"The catalog is empty."}):e("table",{class:"list","aria-labelledby":"rewards-h",children:[e("thead",{children:e("tr",{children:[e("th",{scope:"col",children:"Reward"}),e("th",{scope:"col",class:"num",children:"Points"}),e("th",{scope:"col",class:"num",children:"Stock"}),e("th",{scope:"col",children:"Available until"})]})}),e("tbody",{children:r.nodes.map(a=>e("tr",{children:[e("td",{children:[a.name,a.description?e("div",{class:"small muted",children:a.description}):null]}),e("td",{class:"num",children:A(a.pointsCost)}),e("td",{class:"num",children:a.stock==null?"unlimited":A(a.stock)}),e("td",{children:a.availableUntil?M(a.availableUntil):"no end"})]},a.id))})]})]})]})})}const Nr=T(`
  query Overview($from: String!) {
    valueDistribution {
      currency
      revenue {
        customers
        total
        concentration {
          topPercent
          share
        }
      }
      clv {
        customers
        total
      }
    }
    churnReport(period: "month", from: $from) {
      currency
      repeat {
        repeatPurchaseRate
      }
      periods {
        period
        activeCustomers
        newCustomers
        churnRate
        revenue
        margin
      }
      expected {
        expectedChurnRate
      }
    }
    deals(first: 500, filter: { status: "open" }) {
      pageInfo {
        hasNextPage
      }
      nodes {
        amount
        currency
      }
    }
    satisfactionReport(period: "month", detractorsLimit: 1) {
      overall {
        nps
        npsResponses
      }
      overTime {
        key
        scores {
          nps
        }
      }
    }
    atRiskAccounts(first: 5) {
      nodes {
        accountId
        name
        valueAtRisk
        churnProbability
      }
    }
  }
`);function Or(){const n=new Date;return n.setUTCFullYear(n.getUTCFullYear()-1),n.setUTCDate(1),n.toISOString().slice(0,10)}function qr(){const n=W(()=>P(Nr,{from:Or()}),"overview");if(n.status==="loading")return e(K,{what:"the overview"});if(n.status==="error")return e(E,{error:n.error,retry:n.reload});const{valueDistribution:t,churnReport:r,atRiskAccounts:s,deals:a,satisfactionReport:o}=n.data,c=o.overTime.filter(h=>h.scores.nps!=null).map(h=>h.scores.nps??0),m=new Map;a.nodes.forEach(h=>m.set(h.currency,(m.get(h.currency)??0)+X(h.amount)));const u=r.periods,l=u[u.length-1],y=t.revenue.concentration.find(h=>h.topPercent===10);return e(H,{title:"Overview",children:t.revenue.customers===0?e(O,{children:"No orders yet: the figures appear with the first purchases."}):e("div",{class:"grid",children:[e("article",{class:"card kpi-card","aria-labelledby":"k-customers",children:[e("h2",{id:"k-customers",children:"Buying customers"}),e("dl",{class:"kpis",children:[e("div",{children:[e("dt",{children:"All time"}),e("dd",{children:A(t.revenue.customers)})]}),e("div",{children:[e("dt",{children:"Active last month"}),e("dd",{children:[l?A(l.activeCustomers):"—",e(ae,{values:u.map(h=>h.activeCustomers),label:"Active customers per month, last 12 months"})]})]})]})]}),e("article",{class:"card kpi-card","aria-labelledby":"k-revenue",children:[e("h2",{id:"k-revenue",children:"Revenue and value"}),e("dl",{class:"kpis",children:[e("div",{children:[e("dt",{children:"Net revenue"}),e("dd",{children:I(t.revenue.total,t.currency)})]}),e("div",{children:[e("dt",{children:"Revenue this month so far"}),e("dd",{"data-testid":"revenue-month",children:[l?I(l.revenue,r.currency):"—",e(ae,{values:u.map(h=>X(h.revenue)),label:`Revenue per month, last 12 months: ${u.map(h=>`${h.period} ${oe(h.revenue,r.currency)}`).join(", ")}`})]})]}),e("div",{children:[e("dt",{children:"Margin this month so far"}),e("dd",{children:[l?I(l.margin,r.currency):"—",e(ae,{values:u.map(h=>X(h.margin)),label:`Margin per month, last 12 months: ${u.map(h=>`${h.period} ${oe(h.margin,r.currency)}`).join(", ")}`})]})]}),e("div",{children:[e("dt",{children:"CLV, next 12 months"}),e("dd",{children:I(t.clv.total,t.currency)})]})]}),y&&e("p",{class:"muted small",children:["The top 10 % of customers bring ",B(y.share)," of revenue."]})]}),e("article",{class:"card kpi-card","aria-labelledby":"k-retention",children:[e("h2",{id:"k-retention",children:"Retention"}),e("dl",{class:"kpis",children:[e("div",{children:[e("dt",{children:"Repeat purchase rate"}),e("dd",{children:B(r.repeat.repeatPurchaseRate)})]}),e("div",{children:[e("dt",{children:"Churn last month"}),e("dd",{children:[l?B(l.churnRate,1):"—",e(ae,{values:u.map(h=>h.churnRate),label:"Monthly churn rate, last 12 months"})]})]}),e("div",{children:[e("dt",{children:"New last month"}),e("dd",{children:[l?A(l.newCustomers):"—",e(ae,{values:u.map(h=>h.newCustomers),label:"New customers per month, last 12 months"})]})]})]}),r.expected&&e("p",{class:"muted small",children:["The model expects ",B(r.expected.expectedChurnRate)," of today's buyers to be lost."]})]}),e("article",{class:"card kpi-card","aria-labelledby":"k-nps",children:[e("h2",{id:"k-nps",children:"Satisfaction"}),e("dl",{class:"kpis",children:e("div",{children:[e("dt",{children:"NPS, last 12 months"}),e("dd",{children:[o.overall.nps==null?"—":Math.round(o.overall.nps),e(ae,{values:c,label:`NPS per month: ${c.map(h=>Math.round(h)).join(", ")}`})]})]})}),e("p",{class:"small",children:[A(o.overall.npsResponses)," answers · ",e(F,{href:"/feedback",children:"Feedback and complaints"})]})]}),e("article",{class:"card kpi-card","aria-labelledby":"k-pipeline",children:[e("h2",{id:"k-pipeline",children:"Open pipeline"}),e("dl",{class:"kpis",children:[e("div",{children:[e("dt",{children:"Open deals"}),e("dd",{children:[A(a.nodes.length),a.pageInfo.hasNextPage?"+":""]})]}),[...m].map(([h,i])=>e("div",{children:[e("dt",{children:["Value in ",h]}),e("dd",{children:I(i,h)})]},h))]}),e("p",{class:"small",children:e(F,{href:"/pipeline",children:"Open the board"})})]}),e("article",{class:"card","aria-labelledby":"k-risk",children:[e("h2",{id:"k-risk",children:"Most value at risk"}),s.nodes.length===0?e("p",{class:"muted",children:"Nobody at risk (or no fitted model yet)."}):e("ul",{class:"plain",children:s.nodes.map(h=>e("li",{children:[e(F,{href:`/customers/${encodeURIComponent(h.accountId)}`,children:h.name})," · ",I(h.valueAtRisk,t.currency)," at risk ·"," ",B(h.churnProbability)," churn"]},h.accountId))}),e("p",{class:"small",children:e(F,{href:"/value",children:"See the whole value picture"})})]})]})})}const Ur=T(`
  query Board {
    pipelines(first: 20) {
      nodes {
        id
        name
        stages {
          id
          name
          kind
          probability
        }
      }
    }
    deals(first: 500, filter: { status: "open" }) {
      nodes {
        id
        title
        amount
        currency
        pipelineId
        stageId
        version
        expectedCloseOn
      }
    }
  }
`),Br=T(`
  mutation MoveDeal($id: ID!, $stageId: ID!, $ifVersion: Int, $lostReason: String, $key: String) {
    moveDeal(id: $id, stageId: $stageId, ifVersion: $ifVersion, lostReason: $lostReason, idempotencyKey: $key) {
      id
      stageId
      version
      status
    }
  }
`);async function _n(){const n=await P(Ur);return{pipelines:n.pipelines.nodes,deals:n.deals.nodes}}function Lr(){const n=de(),t=fe(n,"deals"),[r,s]=w(null),a=W(_n,"board"),[o,c]=w(new Map),[m,u]=w(null),[l,y]=w(null),[h,i]=w(null);if(a.status==="loading")return e(K,{what:"the pipeline"});if(a.status==="error")return e(E,{error:a.error,retry:a.reload});const{pipelines:f}=a.data,d=f.find(p=>p.id===r)??f[0];if(!d)return e(H,{title:"Pipeline",children:e(O,{children:"No pipeline yet."})});const _=a.data.deals.filter(p=>p.pipelineId===d.id).map(p=>o.get(p.id)??p),$=p=>d.stages.find(v=>v.id===p)?.name??"another stage",x=async(p,v)=>{if(p.stageId===v||h)return;const k=d.stages.find(S=>S.id===v);let g;if(!(k?.kind==="lost"&&(g=window.prompt(`Why was “${p.title}” lost?`,"price")??void 0,!g))){i(p.id),u(null);try{const S=await P(Br,{id:p.id,stageId:v,ifVersion:p.version,lostReason:g??null,key:se()});c(U=>new Map(U).set(p.id,{...p,stageId:S.moveDeal.stageId,version:S.moveDeal.version})),u({kind:"ok",text:`“${p.title}” moved to ${$(S.moveDeal.stageId)}.`})}catch(S){if(S instanceof ee&&S.code==="precondition_failed"){let U="";try{const V=(await _n()).deals.find(C=>C.id===p.id);U=V?` It is now in ${$(V.stageId)}.`:" It is no longer open."}catch{}c(new Map),u({kind:"conflict",text:`“${p.title}” was moved by someone else (perhaps in another tab) before your move, so yours was not applied.${U} The board now shows the latest state.`}),a.reload()}else u({kind:"conflict",text:Y(S)})}finally{i(null)}}},b=new Map(_.map(p=>[p.id,p]));return e(H,{title:"Pipeline",actions:f.length>1?e("label",{children:["Pipeline",e("select",{value:d.id,onChange:p=>s(p.currentTarget.value),children:f.map(p=>e("option",{value:p.id,children:p.name},p.id))})]}):void 0,children:[e("div",{"aria-live":"polite",children:m&&e("p",{class:`notice ${m.kind}`,role:m.kind==="conflict"?"alert":"status","data-testid":"board-notice",children:m.text})}),!t&&e("p",{class:"muted small",children:"Your role can see the board but not move deals."}),e("div",{class:"board",children:d.stages.map(p=>{const v=_.filter(g=>g.stageId===p.id),k=new Map;return v.forEach(g=>k.set(g.currency,(k.get(g.currency)??0)+X(g.amount))),e("section",{class:`column${l===p.id?" over":""}`,"aria-label":`Stage ${p.name}`,"data-stage":p.name,"data-kind":p.kind,onDragOver:g=>{t&&(g.preventDefault(),y(p.id))},onDragLeave:()=>y(null),onDrop:g=>{g.preventDefault(),y(null);const S=b.get(g.dataTransfer?.getData("text/plain")??"");S&&t&&x(S,p.id)},children:[e("h2",{children:[e("span",{children:p.name}),e("span",{class:"muted small",children:[p.probability," %"]})]}),e("p",{class:"muted small",children:[A(v.length)," deals",[...k].map(([g,S])=>` · ${I(S,g)}`).join("")]}),v.map(g=>e("article",{class:"deal",draggable:t,"data-deal":g.title,"aria-busy":h===g.id,onDragStart:S=>S.dataTransfer?.setData("text/plain",g.id),children:[e("strong",{children:g.title}),e("div",{class:"small",children:I(g.amount,g.currency)}),t&&e("label",{class:"move",children:["Move to",e("select",{value:g.stageId,onChange:S=>{x(g,S.currentTarget.value)},"aria-label":`Move ${g.title} to stage`,children:d.stages.map(S=>e("option",{value:S.id,children:S.name},S.id))})]})]},g.id))]},p.id)})})]})}const Fr=T(`
  query Segments {
    segments(first: 100) {
      nodes {
        id
        name
        description
        rule
        tracked
        createdAt
      }
    }
  }
`),Er=T(`
  query PreviewSegment($rule: JSON!) {
    previewSegment(rule: $rule, sampleSize: 5) {
      count
      sample {
        id
        name
      }
    }
  }
`),Vr=T(`
  mutation CreateSegment($input: SegmentInput!, $key: String) {
    createSegment(input: $input, idempotencyKey: $key) {
      id
      name
    }
  }
`),Fe=[{name:"orders_count",label:"Orders",kind:"number"},{name:"revenue",label:"Revenue",kind:"money"},{name:"clv",label:"CLV (12 months)",kind:"money"},{name:"churn_probability",label:"Churn probability (%)",kind:"share"},{name:"days_since_last_order",label:"Days since last order",kind:"number"},{name:"rfm_segment",label:"RFM segment",kind:"choice",choices:["champions","loyal","potential_loyalist","new","promising","need_attention","about_to_sleep","at_risk","cant_lose_them","hibernating","lost"]},{name:"risk_band",label:"Risk band",kind:"choice",choices:["healthy","watch","at_risk","lost"]},{name:"lifecycle_stage",label:"Lifecycle stage",kind:"choice",choices:["lead","prospect","customer","churned"]},{name:"kind",label:"Kind",kind:"choice",choices:["person","organization"]},{name:"loyalty_points",label:"Loyalty points",kind:"number"},{name:"acquisition_channel",label:"Acquisition channel",kind:"text"},{name:"tags",label:"Tags",kind:"text"}],bn={number:[[">=","at least"],["<=","at most"],["=","exactly"],[">","more than"],["<","less than"]],money:[[">=","at least"],["<=","at most"],[">","more than"],["<","less than"]],share:[[">=","at least"],["<=","at most"]],choice:[["=","is"],["!=","is not"]],text:[["=","is"],["contains","contains"]]};function Ee(n){return Fe.find(t=>t.name===n)??Fe[0]}function Hr(n,t){const r=[];for(const s of t){const a=Ee(s.field),o=s.value.trim();if(!o)return{problem:`Give a value for “${a.label}”.`};let c=o;if(a.kind==="number"||a.kind==="money"||a.kind==="share"){const m=Number(o);if(!Number.isFinite(m))return{problem:`“${a.label}” needs a number.`};c=a.kind==="money"?Math.round(m*100):a.kind==="share"?m/100:m}r.push({field:a.name,op:s.op,value:c})}return r.length===0?{problem:"Add a condition."}:{rule:{[n]:r}}}function Kr({onSaved:n}){const t=de(),[r,s]=w("all"),[a,o]=w([{field:"orders_count",op:">=",value:"3"}]),[c,m]=w(""),[u,l]=w({status:"idle"}),[y,h]=w(null),[i,f]=w(null),d=Hr(r,a),_=JSON.stringify(d);G(()=>{if(!("rule"in d)){l({status:"error",text:d.problem});return}let b=!1;l(v=>({...v,status:"loading"}));const p=setTimeout(()=>{P(Er,{rule:d.rule}).then(v=>!b&&l({status:"ok",count:v.previewSegment.count,sample:v.previewSegment.sample}),v=>!b&&l({status:"error",text:Y(v)}))},350);return()=>{b=!0,clearTimeout(p)}},[_]);const $=(b,p)=>o(v=>v.map((k,g)=>{if(g!==b)return k;const S={...k,...p};if(p.field){const U=Ee(p.field);S.op=bn[U.kind][0]?.[0]??"=",S.value=U.choices?.[0]??""}return S})),x=async b=>{if(b.preventDefault(),"rule"in d){f(null);try{const p=await P(Vr,{input:{name:c.trim(),rule:d.rule,tracked:!1},key:se()});h(p.createSegment.name),m(""),n()}catch(p){f(p)}}};return e("article",{class:"card","aria-labelledby":"builder-h",children:[e("h2",{id:"builder-h",children:"Build a segment"}),e("div",{class:"rule",children:[e("label",{children:["Customers matching",e("select",{value:r,onChange:b=>s(b.currentTarget.value==="any"?"any":"all"),children:[e("option",{value:"all",children:"all of these conditions"}),e("option",{value:"any",children:"any of these conditions"})]})]}),a.map((b,p)=>{const v=Ee(b.field);return e("fieldset",{class:"condition","aria-label":`Condition ${p+1}`,children:[e("label",{children:["Field",e("select",{value:b.field,onChange:k=>$(p,{field:k.currentTarget.value}),children:Fe.map(k=>e("option",{value:k.name,children:k.label},k.name))})]}),e("label",{children:["Comparison",e("select",{value:b.op,onChange:k=>$(p,{op:k.currentTarget.value}),children:bn[v.kind].map(([k,g])=>e("option",{value:k,children:g},k))})]}),e("label",{children:["Value",v.kind==="money"?" (whole units)":"",v.choices?e("select",{value:b.value,onChange:k=>$(p,{value:k.currentTarget.value}),children:v.choices.map(k=>e("option",{value:k,children:k.replace(/_/g," ")},k))}):e("input",{value:b.value,inputMode:v.kind==="text"?"text":"decimal",onInput:k=>$(p,{value:k.currentTarget.value})})]}),a.length>1&&e("button",{type:"button",class:"secondary",onClick:()=>o(k=>k.filter((g,S)=>S!==p)),children:"Remove"})]},p)}),e("div",{class:"row",children:e("button",{type:"button",class:"secondary",onClick:()=>o(b=>[...b,{field:"risk_band",op:"=",value:"at_risk"}]),children:"Add a condition"})})]}),e("div",{"aria-live":"polite",class:"preview",children:[u.status==="loading"&&e("p",{class:"muted",children:"Counting…"}),u.status==="ok"&&e(j,{children:[e("p",{class:"count","data-testid":"preview-count",children:[A(u.count??0)," customers match now"]}),(u.sample??[]).length>0&&e("p",{class:"small muted",children:["For example:"," ",(u.sample??[]).map((b,p)=>e("span",{children:[p>0?", ":"",e(F,{href:`/customers/${encodeURIComponent(b.id)}`,children:b.name})]},b.id))]})]}),u.status==="error"&&e("p",{class:"state error",role:"alert",children:u.text})]}),fe(t,"segments")&&e("form",{class:"row",onSubmit:b=>{x(b)},children:[e("label",{children:["Segment name",e("input",{required:!0,maxLength:200,value:c,onInput:b=>m(b.currentTarget.value)})]}),e("button",{type:"submit",disabled:!("rule"in d)||!c.trim(),children:"Save segment"})]}),y&&e("p",{class:"notice ok",role:"status",children:["Saved “",y,"”."]}),i!=null&&e(E,{error:i})]})}function Wr(){const n=W(()=>P(Fr),"segments");return e(H,{title:"Segments",children:e("div",{class:"columns",children:[e("article",{class:"card","aria-labelledby":"saved-h",children:[e("h2",{id:"saved-h",children:"Saved segments"}),n.status==="loading"&&e(K,{what:"segments"}),n.status==="error"&&e(E,{error:n.error,retry:n.reload}),n.status==="ok"&&n.data.segments.nodes.length===0&&e(O,{children:"No segment yet: build one."}),n.status==="ok"&&e("ul",{class:"plain",children:n.data.segments.nodes.map(t=>e("li",{children:[e("strong",{children:t.name}),t.description?e("div",{class:"small muted",children:t.description}):null]},t.id))})]}),e(Kr,{onSaved:n.reload})]})})}const jr=T(`
  query Settings {
    users(first: 100) {
      nodes {
        id
        name
        email
        role
        disabled
        lastLoginAt
        version
      }
    }
    apiKeys(first: 100) {
      nodes {
        id
        name
        prefix
        scopes
        lastUsedAt
        expiresAt
        revokedAt
      }
    }
    webhooks(first: 50) {
      nodes {
        id
        url
        description
        eventTypes
        enabled
        disabledReason
      }
    }
  }
`),zr=T(`
  mutation CreateUser($input: NewUser!) {
    createUser(input: $input) {
      id
      name
      role
    }
  }
`),Qr=T(`
  mutation SetUserDisabled($id: ID!, $disabled: Boolean!) {
    updateUser(id: $id, input: { disabled: $disabled }) {
      id
      disabled
    }
  }
`),Yr=T(`
  mutation CreateApiKey($input: NewApiKey!) {
    createApiKey(input: $input) {
      id
      name
      scopes
      secret
    }
  }
`),Gr=T(`
  mutation RevokeApiKey($id: ID!) {
    revokeApiKey(id: $id) {
      id
      revokedAt
    }
  }
`),Jr=T(`
  mutation CreateWebhook($input: NewWebhook!) {
    createWebhook(input: $input) {
      id
      url
      secret
    }
  }
`),Xr=T(`
  mutation DeleteWebhook($id: ID!) {
    deleteWebhook(id: $id)
  }
`),Zr=T(`
  query WebhookDeliveries($id: ID!) {
    webhookDeliveries(webhookId: $id, first: 20) {
      nodes {
        id
        eventType
        attempt
        trigger
        outcome
        statusCode
        latencyMs
        error
        createdAt
      }
    }
  }
`);function ei({id:n}){const t=W(()=>P(Zr,{id:n}),n);if(t.status==="loading")return e(K,{what:"deliveries"});if(t.status==="error")return e(E,{error:t.error,retry:t.reload});const r=t.data.webhookDeliveries.nodes;return r.length===0?e(O,{children:"Nothing delivered yet."}):e("table",{class:"list compact","aria-label":"Delivery log",children:[e("thead",{children:e("tr",{children:[e("th",{scope:"col",children:"When"}),e("th",{scope:"col",children:"Event"}),e("th",{scope:"col",children:"Attempt"}),e("th",{scope:"col",children:"Outcome"}),e("th",{scope:"col",class:"num",children:"Status"}),e("th",{scope:"col",class:"num",children:"Latency"})]})}),e("tbody",{children:r.map(s=>e("tr",{children:[e("td",{children:M(s.createdAt)}),e("td",{children:s.eventType}),e("td",{children:[s.attempt," (",s.trigger,")"]}),e("td",{children:[R(s.outcome),s.error?e("div",{class:"small muted",children:s.error}):null]}),e("td",{class:"num",children:s.statusCode??"—"}),e("td",{class:"num",children:[s.latencyMs," ms"]})]},s.id))})]})}const ni=["viewer","agent","manager","admin","owner"],ti=["accounts:read","accounts:write","orders:read","orders:write","deals:read","deals:write","loyalty:read","loyalty:write","analytics:read","campaigns:read","campaigns:write","offers:read","offers:write","events:read","admin"];function Ze(n){const[t,r]=w(!1);return{busy:t,run:async a=>{r(!0);try{const o=await a();typeof o=="string"?n(o,!0):n(o[0],!0,o[1])}catch(o){n(Y(o),!1)}finally{r(!1)}}}}function ri({users:n,me:t,owner:r,done:s}){const{busy:a,run:o}=Ze(s),[c,m]=w(""),[u,l]=w(""),[y,h]=w(""),[i,f]=w("agent");return e("article",{class:"card wide","aria-labelledby":"users-h",children:[e("h2",{id:"users-h",children:"Users"}),e("table",{class:"list","aria-labelledby":"users-h",children:[e("thead",{children:e("tr",{children:[e("th",{scope:"col",children:"Name"}),e("th",{scope:"col",children:"E-mail"}),e("th",{scope:"col",children:"Role"}),e("th",{scope:"col",children:"Last sign-in"}),e("th",{scope:"col",children:e("span",{class:"muted small",children:"Action"})})]})}),e("tbody",{children:n.map(d=>e("tr",{children:[e("td",{children:[d.name,d.disabled?" (disabled)":""]}),e("td",{children:d.email}),e("td",{children:R(d.role)}),e("td",{children:d.lastLoginAt?M(d.lastLoginAt):"never"}),e("td",{children:d.email!==t&&e("button",{type:"button",class:"secondary",disabled:a,onClick:()=>{o(async()=>(await P(Qr,{id:d.id,disabled:!d.disabled}),d.disabled?`${d.name} can sign in again.`:`${d.name} is disabled: their sessions have ended.`))},children:d.disabled?`Enable ${d.name}`:`Disable ${d.name}`})})]},d.id))})]}),e("h3",{class:"small",children:"Add a user"}),e("form",{class:"condition",onSubmit:d=>{d.preventDefault(),o(async()=>{const _=await P(zr,{input:{email:c.trim(),name:u.trim(),password:y,role:i}});return m(""),l(""),h(""),`${_.createUser.name} was added as ${R(_.createUser.role).toLowerCase()}; give them their password yourself.`})},children:[e("label",{children:["Name",e("input",{name:"user-name",required:!0,maxLength:200,value:u,onInput:d=>l(d.currentTarget.value)})]}),e("label",{children:["E-mail",e("input",{name:"user-email",type:"email",required:!0,value:c,onInput:d=>m(d.currentTarget.value)})]}),e("label",{children:["Password (10 or more characters)",e("input",{name:"user-password",type:"password",autocomplete:"new-password",required:!0,minLength:10,maxLength:256,value:y,onInput:d=>h(d.currentTarget.value)})]}),e("label",{children:["Role",e("select",{name:"user-role",value:i,onChange:d=>f(d.currentTarget.value),children:ni.filter(d=>r||d!=="owner").map(d=>e("option",{value:d,children:R(d)},d))})]}),e("button",{type:"submit",disabled:a||!c.trim()||!u.trim()||y.length<10,children:"Add user"})]})]})}function ii({keys:n,done:t}){const{busy:r,run:s}=Ze(t),[a,o]=w(""),[c,m]=w(["accounts:read"]),u=l=>m(c.includes(l)?c.filter(y=>y!==l):[...c,l]);return e("article",{class:"card wide","aria-labelledby":"keys-h",children:[e("h2",{id:"keys-h",children:"API keys"}),n.length===0?e(O,{children:"No API key."}):e("table",{class:"list","aria-labelledby":"keys-h",children:[e("thead",{children:e("tr",{children:[e("th",{scope:"col",children:"Name"}),e("th",{scope:"col",children:"Prefix"}),e("th",{scope:"col",children:"Scopes"}),e("th",{scope:"col",children:"Last used"}),e("th",{scope:"col",children:"State"}),e("th",{scope:"col",children:e("span",{class:"muted small",children:"Action"})})]})}),e("tbody",{children:n.map(l=>e("tr",{"data-key":l.name,children:[e("td",{children:l.name}),e("td",{children:e("code",{children:`rk_${l.prefix}_…`})}),e("td",{class:"small",children:l.scopes.join(", ")}),e("td",{children:l.lastUsedAt?M(l.lastUsedAt):"never"}),e("td",{children:l.revokedAt?`revoked ${M(l.revokedAt)}`:l.expiresAt?`expires ${M(l.expiresAt)}`:"active"}),e("td",{children:!l.revokedAt&&e("button",{type:"button",class:"secondary",disabled:r,onClick:()=>{s(async()=>(await P(Gr,{id:l.id}),`The key “${l.name}” is revoked: requests carrying it are refused from now on.`))},children:["Revoke “",l.name,"”"]})})]},l.id))})]}),e("h3",{class:"small",children:"Create a key"}),e("form",{class:"rule",onSubmit:l=>{l.preventDefault(),s(async()=>{const y=await P(Yr,{input:{name:a.trim(),scopes:c}});return o(""),[`The key “${y.createApiKey.name}” was created with ${y.createApiKey.scopes.join(", ")}. Copy its secret now: it is not shown again.`,{label:"API key secret",value:y.createApiKey.secret}]})},children:[e("label",{children:["Key name",e("input",{name:"key-name",required:!0,maxLength:200,value:a,onInput:l=>o(l.currentTarget.value)})]}),e("fieldset",{class:"scopes",children:[e("legend",{children:"Scopes (no wider than your own)"}),ti.map(l=>e("label",{children:[e("input",{type:"checkbox",checked:c.includes(l),onChange:()=>u(l)})," ",l]},l))]}),e("button",{type:"submit",disabled:r||!a.trim()||c.length===0,children:"Create key"})]})]})}function si({hooks:n,done:t}){const{busy:r,run:s}=Ze(t),[a,o]=w(null),[c,m]=w(null),[u,l]=w(""),[y,h]=w("order.*"),[i,f]=w("");return e("article",{class:"card wide","aria-labelledby":"hooks-h",children:[e("h2",{id:"hooks-h",children:"Webhooks"}),n.length===0?e(O,{children:"No webhook subscription."}):e("ul",{class:"plain",children:n.map(d=>e("li",{children:[e("div",{class:"row",children:[e("strong",{children:d.url}),e("span",{class:"small muted",children:[d.eventTypes.join(", ")," · ",d.enabled?"enabled":`disabled${d.disabledReason?`: ${d.disabledReason}`:""}`,d.description?` · ${d.description}`:""]}),e("button",{type:"button",class:"secondary","aria-expanded":a===d.id,onClick:()=>o(a===d.id?null:d.id),children:a===d.id?"Hide deliveries":"Show deliveries"}),c===d.id?e("button",{type:"button",disabled:r,onClick:()=>{s(async()=>(await P(Xr,{id:d.id}),m(null),`The subscription to ${d.url} and its delivery log are deleted.`))},children:"Confirm: delete it and its log"}):e("button",{type:"button",class:"secondary",onClick:()=>m(d.id),children:"Delete"})]}),a===d.id&&e(ei,{id:d.id})]},d.id))}),e("h3",{class:"small",children:"Subscribe a URL"}),e("form",{class:"condition",onSubmit:d=>{d.preventDefault(),s(async()=>{const _=y.split(/[\s,]+/).map(x=>x.trim()).filter(Boolean),$=await P(Jr,{input:{url:u.trim(),eventTypes:_,description:i.trim()||null}});return l(""),f(""),[`Deliveries to ${$.createWebhook.url} start with the next matching event. Copy the signing secret now: it is not shown again.`,{label:"Signing secret",value:$.createWebhook.secret}]})},children:[e("label",{children:["URL (https)",e("input",{name:"hook-url",type:"url",required:!0,value:u,onInput:d=>l(d.currentTarget.value)})]}),e("label",{children:["Event types (order.*, deal.won, * …)",e("input",{name:"hook-events",required:!0,value:y,onInput:d=>h(d.currentTarget.value)})]}),e("label",{children:["Description",e("input",{name:"hook-description",maxLength:500,value:i,onInput:d=>f(d.currentTarget.value)})]}),e("button",{type:"submit",disabled:r||!u.trim()||!y.trim(),children:"Subscribe"})]})]})}function ai(){const n=de(),t=n.role==="owner"||n.role==="admin",r=W(()=>t?P(jr):Promise.resolve(null),"settings"),[s,a]=w(null),[o,c]=w(null);if(!t)return e(H,{title:"Settings",children:e(O,{children:"Only owners and admins manage users, API keys and webhooks."})});if(r.status==="loading")return e(K,{what:"settings"});if(r.status==="error")return e(E,{error:r.error,retry:r.reload});if(!r.data)return null;const{users:m,apiKeys:u,webhooks:l}=r.data,y=(h,i,f)=>{a({ok:i,text:h}),c(f??null),i&&r.reload()};return e(H,{title:"Settings",children:[e(Je,{notice:s,testid:"settings-notice"}),o&&e("div",{class:"notice ok","data-testid":"secret",children:[e("strong",{children:o.label})," (shown once):",e("code",{class:"secret",children:o.value}),e("button",{type:"button",class:"secondary",onClick:()=>c(null),children:"I have kept it"})]}),e("div",{class:"grid",children:[e(ri,{users:m.nodes,me:n.email,owner:n.role==="owner",done:y}),e(ii,{keys:u.nodes,done:y}),e(si,{hooks:l.nodes,done:y})]})]})}function oi(){const[n,t]=w(""),[r,s]=w(""),[a,o]=w(!1),[c,m]=w(null),u=async l=>{l.preventDefault(),o(!0),m(null);try{await dt(n.trim(),r)}catch(y){m(y),o(!1)}};return e("main",{id:"main",class:"signin",children:e("form",{onSubmit:l=>{u(l)},"aria-labelledby":"signin-title",children:[e("h1",{id:"signin-title",children:"Sign in to Rapport"}),e("label",{children:["E-mail",e("input",{type:"email",name:"email",autoComplete:"username",required:!0,value:n,onInput:l=>t(l.currentTarget.value)})]}),e("label",{children:["Password",e("input",{type:"password",name:"password",autoComplete:"current-password",required:!0,value:r,onInput:l=>s(l.currentTarget.value)})]}),c!=null&&e("p",{class:"state error",role:"alert",children:Y(c)}),e("button",{type:"submit",disabled:a,children:a?"Signing in…":"Sign in"}),e("p",{class:"hint",children:"Your session lives in this tab only: reloading the page asks you to sign in again."})]})})}const li=T(`
  query Value {
    rfmSegments {
      currency
      breakpointsFittedAt
      scoredAccounts
      unscoredAccounts
      segments {
        segment
        label
        accounts
        revenue
        shareOfAccounts
        shareOfRevenue
      }
    }
    valueDistribution {
      currency
      clv {
        customers
        histogram {
          lower
          upper
          customers
        }
      }
    }
    atRiskAccounts(first: 20) {
      nodes {
        accountId
        name
        valueAtRisk
        churnProbability
        riskBand
        clv
        revenue
        segment
      }
    }
  }
`);function ci(){const n=W(()=>P(li),"value");if(n.status==="loading")return e(K,{what:"value"});if(n.status==="error")return e(E,{error:n.error,retry:n.reload});const{rfmSegments:t,valueDistribution:r,atRiskAccounts:s}=n.data;return e(H,{title:"Value",children:e("div",{class:"grid",children:[e("article",{class:"card wide","aria-labelledby":"rfm-grid-h",children:[e("h2",{id:"rfm-grid-h",children:"RFM grid"}),t.scoredAccounts===0?e(O,{children:"No customer is scored yet: fit the value model once there are orders."}):e(j,{children:[e("p",{class:"muted small",children:["Recency (rows) against the average of frequency and monetary value (columns); darker cells hold more of the revenue."," ",t.scoredAccounts," customers scored",t.breakpointsFittedAt?` on ${M(t.breakpointsFittedAt)}`:"","."]}),e(zt,{cells:t.segments}),e("table",{class:"list","aria-label":"RFM segments",children:[e("thead",{children:e("tr",{children:[e("th",{scope:"col",children:"Segment"}),e("th",{scope:"col",class:"num",children:"Customers"}),e("th",{scope:"col",class:"num",children:"Share"}),e("th",{scope:"col",class:"num",children:"Revenue"}),e("th",{scope:"col",class:"num",children:"Share of revenue"})]})}),e("tbody",{children:t.segments.map(a=>e("tr",{children:[e("td",{children:a.label}),e("td",{class:"num",children:a.accounts}),e("td",{class:"num",children:B(a.shareOfAccounts)}),e("td",{class:"num",children:I(a.revenue,t.currency)}),e("td",{class:"num",children:B(a.shareOfRevenue)})]},a.segment))})]})]})]}),e("article",{class:"card wide","aria-labelledby":"clv-h",children:[e("h2",{id:"clv-h",children:"CLV distribution"}),r.clv.customers===0?e(O,{children:"No CLV predictions yet."}):e(Wt,{label:"Customers by 12-month CLV",bars:r.clv.histogram.map(a=>({label:`≥ ${oe(a.lower,r.currency)}`,value:a.customers,text:`${a.customers}`}))})]}),e("article",{class:"card wide","aria-labelledby":"risk-h",children:[e("h2",{id:"risk-h",children:"At risk, by value at risk"}),s.nodes.length===0?e(O,{children:"Nobody is at risk (or the model is not fitted yet)."}):e("table",{class:"list","aria-labelledby":"risk-h",children:[e("thead",{children:e("tr",{children:[e("th",{scope:"col",children:"Customer"}),e("th",{scope:"col",children:"Segment"}),e("th",{scope:"col",children:"Risk"}),e("th",{scope:"col",class:"num",children:"Churn"}),e("th",{scope:"col",class:"num",children:"CLV"}),e("th",{scope:"col",class:"num",children:"Value at risk"})]})}),e("tbody",{children:s.nodes.map(a=>e("tr",{children:[e("td",{children:e(F,{href:`/customers/${encodeURIComponent(a.accountId)}`,children:a.name})}),e("td",{children:R(a.segment)}),e("td",{children:e("span",{class:`band ${a.riskBand}`,children:R(a.riskBand)})}),e("td",{class:"num",children:B(a.churnProbability)}),e("td",{class:"num",children:I(a.clv,t.currency)}),e("td",{class:"num",children:I(a.valueAtRisk,t.currency)})]},a.accountId))})]})]})]})})}const di=T(`
  query Me {
    me {
      name
      email
      role
    }
    workspace {
      name
    }
    valueSettings {
      reportingCurrency
    }
  }
`),ui=[["/","Overview"],["/customers","Customers"],["/value","Value"],["/cohorts","Cohorts"],["/pipeline","Pipeline"],["/segments","Segments"],["/campaigns","Campaigns"],["/offers","Offers"],["/feedback","Feedback"],["/loyalty","Loyalty"],["/settings","Settings"]];function hi({path:n}){const t=n.split("/").filter(Boolean);switch(t[0]){case void 0:return e(qr,{});case"customers":return t[1]?e(_r,{id:decodeURIComponent(t[1])}):e($r,{});case"value":return e(ci,{});case"cohorts":return e(ar,{});case"loyalty":return e(Mr,{});case"settings":return e(ai,{});case"pipeline":return e(Lr,{});case"segments":return e(Wr,{});case"offers":return e(pr,{});case"feedback":return e(Rr,{complaint:t[1]==="complaints"&&t[2]?decodeURIComponent(t[2]):null});case"campaigns":return e(rr,{selected:t[1]?decodeURIComponent(t[1]):null});default:return e("section",{class:"page",children:[e("h1",{children:"Not found"}),e("p",{children:["There is no page at this address. ",e(F,{href:"/",children:"Go to the overview"}),"."]})]})}}function mi({me:n}){const t=Yt(),r="/"+(t.split("/").filter(Boolean)[0]??"");return e(Vn.Provider,{value:n,children:[e("a",{class:"skip",href:"#main",children:"Skip to content"}),e("header",{class:"top",children:[e("span",{class:"brand",children:"Rapport"}),e("nav",{"aria-label":"Main",children:e("ul",{children:ui.filter(([s])=>s!=="/settings"||n.role==="owner"||n.role==="admin").map(([s,a])=>e("li",{children:e(F,{href:s,"aria-current":r===s?"page":void 0,children:a})},s))})}),e("span",{class:"who",children:[n.name," · ",n.role," · ",n.workspace,e("button",{type:"button",class:"link",onClick:()=>{Ln()},children:"Sign out"})]})]}),e("main",{id:"main",children:e(hi,{path:t})})]})}function pi(){const[n,t]=w(ct()),[r,s]=w(null),[a,o]=w(null);return G(()=>lt(c=>t(c)),[]),G(()=>{if(!n){s(null);return}o(null),P(di).then(c=>{ut(c.valueSettings.reportingCurrency),s({name:c.me?.name??"API key",email:c.me?.email??"",role:c.me?.role??"viewer",workspace:c.workspace.name,currency:c.valueSettings.reportingCurrency})},c=>o(c))},[n]),n?a?e(E,{error:a,retry:()=>{Ln()}}):r?e(mi,{me:r}):e(K,{what:"your workspace"}):e(oi,{})}const wn=document.getElementById("app");wn&&Zn(e(pi,{}),wn);
